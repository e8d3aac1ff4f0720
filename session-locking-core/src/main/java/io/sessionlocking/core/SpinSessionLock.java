package io.sessionlocking.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The handle {@link SpinLockProvider} returns. Owns the lock through its owner value; any thread may use it.
 *
 * <p>Invariant: a release acts once, whether through {@link #release()} or {@link #releaseWith}. The {@code released}
 * flag flips exactly once (compare-and-set), and only the thread that flipped it talks to the backend; later callers
 * read the published result.
 */
final class SpinSessionLock implements SessionLock {

    private final LockStore store;
    private final String key;
    private final String ownerValue;
    private final String maskedSessionId;
    private final long acquiredAtNanos;
    private final LockSettings settings;
    private final SafeListener listener;
    private final LockClock clock;
    private final Runnable afterRelease;

    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    /** When the last confirmed extension (or the acquisition) was sent; only moves forward. */
    private final AtomicLong lastConfirmedNanos;

    private volatile boolean releaseResult;

    SpinSessionLock(
            LockStore store,
            String key,
            String ownerValue,
            String maskedSessionId,
            long acquiredAtNanos,
            LockSettings settings,
            SafeListener listener,
            LockClock clock,
            Runnable afterRelease) {
        this.store = store;
        this.key = key;
        this.ownerValue = ownerValue;
        this.maskedSessionId = maskedSessionId;
        this.acquiredAtNanos = acquiredAtNanos;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.afterRelease = afterRelease;
        this.lastConfirmedNanos = new AtomicLong(acquiredAtNanos);
    }

    @Override
    public String maskedSessionId() {
        return maskedSessionId;
    }

    @Override
    public boolean isHeld() {
        return !released.get() && store.isHeld(key, ownerValue, settings.commandTimeout());
    }

    @Override
    public CompletionStage<Extension> extend() {
        if (released.get()) {
            return CompletableFuture.completedFuture(Extension.RELEASED);
        }
        long sentAtNanos = clock.nanoTime();
        CompletionStage<Boolean> reply;
        try {
            reply = store.extend(key, ownerValue, settings.lockTtl(), settings.commandTimeout());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e); // a store that broke its never-throws contract
        }
        CompletableFuture<Extension> result = new CompletableFuture<>();
        reply.whenComplete((extended, failure) -> {
            if (released.get()) {
                // A release that raced this extension (it may have deleted the key itself): that is not a lost lock.
                result.complete(Extension.RELEASED);
            } else if (failure == null && Boolean.TRUE.equals(extended)) {
                // The TTL was reset at some point after the command was sent: counting from the send is the safe side.
                lastConfirmedNanos.accumulateAndGet(sentAtNanos, Math::max);
                result.complete(Extension.EXTENDED);
            } else if (failure == null) {
                lost(SessionLockListener.Operation.EXTEND);
                result.complete(Extension.LOST);
            } else if (presumedExpired()) {
                lost(SessionLockListener.Operation.EXTEND);
                result.complete(Extension.PRESUMED_LOST);
            } else {
                result.completeExceptionally(
                        failure instanceof LockStoreException backend
                                ? backend
                                : new LockStoreException("Extension failed", failure));
            }
        });
        return result;
    }

    /** No extension confirmed for a full TTL: whatever the backend did meanwhile, the lock's TTL has run out. */
    private boolean presumedExpired() {
        return clock.nanoTime() - lastConfirmedNanos.get() >= settings.lockTtl().toNanos();
    }

    @Override
    public boolean release() {
        try {
            Boolean deleted = releaseWith(
                    (k, owner) -> store.release(k, owner, settings.lockTtl(), settings.commandTimeout()),
                    Boolean::booleanValue);
            return deleted != null ? deleted : releaseResult;
        } catch (RuntimeException e) {
            // Heard by the listener (onReleaseFailed); the lock expires at its TTL. A release never throws.
            return false;
        }
    }

    @Override
    public <R> R fenced(FencedOperation<R> operation, Predicate<? super R> owned) {
        R result = operation.run(key, ownerValue);
        if (!owned.test(result)) {
            lost(SessionLockListener.Operation.SAVE);
        }
        return result;
    }

    @Override
    public <R> @Nullable R releaseWith(FencedOperation<R> operation, Predicate<? super R> wasReleased) {
        if (!released.compareAndSet(false, true)) {
            return null;
        }
        if (lost.get()) {
            // Known to be someone else's already: nothing to release, nothing new to report.
            afterRelease.run();
            return null;
        }
        Duration held = heldFor();
        R result;
        try {
            result = operation.run(key, ownerValue);
        } catch (RuntimeException e) {
            LockStoreException cause =
                    e instanceof LockStoreException backend ? backend : new LockStoreException("Release failed", e);
            listener.notify(l -> l.onReleaseFailed(new SessionLockListener.Released(maskedSessionId, held), cause));
            throw e;
        } finally {
            // The next waiter of this JVM polls now instead of after its pause.
            afterRelease.run();
        }
        boolean deleted = wasReleased.test(result);
        releaseResult = deleted;
        if (deleted) {
            listener.notify(l -> l.onReleased(new SessionLockListener.Released(maskedSessionId, held)));
        } else {
            lost(SessionLockListener.Operation.RELEASE);
        }
        return result;
    }

    @Override
    public void close() {
        release();
    }

    /** Reports the loss once per handle, whichever operation finds it first. */
    private void lost(SessionLockListener.Operation during) {
        if (!lost.compareAndSet(false, true)) {
            return;
        }
        Duration held = heldFor();
        listener.notify(l -> l.onLost(new SessionLockListener.Lost(maskedSessionId, held, during)));
    }

    private Duration heldFor() {
        return Duration.ofNanos(clock.nanoTime() - acquiredAtNanos);
    }

    @Override
    public String toString() {
        // Never the owner value (its token) or the full session id.
        return "SessionLock[" + maskedSessionId + (released.get() ? ", released]" : "]");
    }
}
