package io.sessionlocking.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The handle {@link SpinLockProvider} returns. Owns the lock through its token; any thread may use it.
 *
 * <p>Invariant: {@link #release()} acts once. The {@code released} flag flips exactly once (compare-and-set), and only
 * the thread that flipped it talks to the backend; later callers read the published result.
 */
final class SpinSessionLock implements SessionLock {

    private final LockStore store;
    private final String key;
    private final String token;
    private final String maskedSessionId;
    private final long acquiredAtNanos;
    private final LockSettings settings;
    private final SafeListener listener;
    private final LockClock clock;
    private final Runnable afterRelease;

    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean releaseResult;

    SpinSessionLock(
            LockStore store,
            String key,
            String token,
            String maskedSessionId,
            long acquiredAtNanos,
            LockSettings settings,
            SafeListener listener,
            LockClock clock,
            Runnable afterRelease) {
        this.store = store;
        this.key = key;
        this.token = token;
        this.maskedSessionId = maskedSessionId;
        this.acquiredAtNanos = acquiredAtNanos;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.afterRelease = afterRelease;
    }

    @Override
    public String maskedSessionId() {
        return maskedSessionId;
    }

    @Override
    public boolean isHeld() {
        return !released.get() && store.isHeld(key, token, settings.commandTimeout());
    }

    @Override
    public boolean extend() {
        if (released.get()) {
            return false;
        }
        boolean extended = store.extend(key, token, settings.lockTtl(), settings.commandTimeout());
        // A release that raced this extension deleted the key itself: that is not a lost lock.
        if (!extended && !released.get()) {
            Duration held = heldFor();
            listener.notify(l -> l.onLost(
                    new SessionLockListener.Lost(maskedSessionId, held, SessionLockListener.Operation.EXTEND)));
        }
        return extended;
    }

    @Override
    public boolean release() {
        if (!released.compareAndSet(false, true)) {
            return releaseResult;
        }
        Duration held = heldFor();
        boolean deleted;
        try {
            deleted = store.release(key, token, settings.commandTimeout());
        } catch (LockStoreException e) {
            listener.notify(l -> l.onReleaseFailed(new SessionLockListener.Released(maskedSessionId, held), e));
            return false;
        } finally {
            // The next waiter of this JVM polls now instead of after its pause.
            afterRelease.run();
        }
        releaseResult = deleted;
        if (deleted) {
            listener.notify(l -> l.onReleased(new SessionLockListener.Released(maskedSessionId, held)));
        } else {
            listener.notify(l -> l.onLost(
                    new SessionLockListener.Lost(maskedSessionId, held, SessionLockListener.Operation.RELEASE)));
        }
        return deleted;
    }

    @Override
    public void close() {
        release();
    }

    private Duration heldFor() {
        return Duration.ofNanos(clock.nanoTime() - acquiredAtNanos);
    }

    @Override
    public String toString() {
        // Never the token or the full session id.
        return "SessionLock[" + maskedSessionId + (released.get() ? ", released]" : "]");
    }
}
