package io.sessionlocking.core;

import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import io.sessionlocking.support.LockKeys;
import io.sessionlocking.support.LockTokens;
import io.sessionlocking.support.RetryDelays;
import io.sessionlocking.support.SessionIds;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The lock engine: a spin lock over any {@link LockStore}. An acquisition tries the store, pauses by the configured
 * {@link LockSettings.Backoff backoff}, and tries again until it wins or its deadline passes.
 *
 * <p>Timing guarantees: {@link #acquire} returns or throws no later than about {@code timeout + min(commandTimeout,
 * 50 ms)} after it was called, whatever the backend does, because every pause ends at the deadline and every backend
 * call is bounded by the time left (at least {@value #MIN_CALL_TIMEOUT_MILLIS} ms, so that the last attempt is not
 * doomed). Backend failures are retried like a held lock until the deadline, so a Redis restart during a wait is
 * survived.
 *
 * <p>The failure reason is {@link Reason#BACKEND_UNAVAILABLE} when the backend was failing at the end: the last two
 * attempts failed, or it never answered at all. A single slow reply at the deadline after the lock was seen held is a
 * {@link Reason#TIMEOUT}: the lock was busy, the backend was not down.
 *
 * <p>Fairness: within this JVM the waiters of a session queue in arrival order; only the oldest polls the backend,
 * and a lock released by this JVM wakes it at once ({@link LocalWaiters}). A request never overtakes an older one of
 * the same JVM, and a hot session costs the backend one poller per JVM rather than one per waiting request. Between
 * JVMs the first {@code SET NX} to arrive wins.
 *
 * <p>An attempt is a {@link LockStore#tryAcquire} by default, or any {@link LockAttempt}, e.g. one script that takes a
 * session's lock and returns the session in the same round trip. Keys come from a key layout: {@code
 * <namespace>:lock:{<id>}} by default, or another (the session's own key, when the lock lives inside the session).
 *
 * <p>This class is thread-safe; one instance serves the whole application.
 */
public final class SpinLockProvider implements SessionLockProvider {

    static final long MIN_CALL_TIMEOUT_MILLIS = 50;
    static final int OWNERSHIP_CHECK_EVERY = 8;
    private static final long MIN_CALL_TIMEOUT_NANOS =
            Duration.ofMillis(MIN_CALL_TIMEOUT_MILLIS).toNanos();

    private final LockStore store;
    private final LockSettings settings;
    private final SafeListener listener;
    private final LockClock clock;
    private final UnaryOperator<String> keyLayout;
    private final RetryDelays delays;
    private final LocalWaiters waiters;

    public SpinLockProvider(LockStore store, LockSettings settings) {
        this(store, settings, SessionLockListener.NONE, LockClock.SYSTEM);
    }

    public SpinLockProvider(LockStore store, LockSettings settings, SessionLockListener listener) {
        this(store, settings, listener, LockClock.SYSTEM);
    }

    public SpinLockProvider(LockStore store, LockSettings settings, SessionLockListener listener, LockClock clock) {
        this(store, settings, listener, clock, new LockKeys(settings.keyNamespace())::lockKey);
    }

    /**
     * @param keyLayout the backend key of a session's lock, from its (valid) session id
     */
    public SpinLockProvider(
            LockStore store,
            LockSettings settings,
            SessionLockListener listener,
            LockClock clock,
            UnaryOperator<String> keyLayout) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = new SafeListener(Objects.requireNonNull(listener, "listener"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keyLayout = Objects.requireNonNull(keyLayout, "keyLayout");
        this.delays = new RetryDelays(settings);
        this.waiters = new LocalWaiters(settings.maxWaitersPerSession());
    }

    @Override
    public SessionLock acquire(String sessionId) {
        return acquire(sessionId, "");
    }

    @Override
    public SessionLock acquire(String sessionId, String holderInfo) {
        Acquisition<Boolean> acquisition = acquire(sessionId, holderInfo, new StoreAttempt());
        // A store attempt never reports the lock's resource absent: it creates the lock key itself.
        return Objects.requireNonNull(acquisition, "store attempts are never absent")
                .lock();
    }

    @Override
    public <T> @Nullable Acquisition<T> acquire(String sessionId, String holderInfo, LockAttempt<T> attempt) {
        SessionIds.requireValid(sessionId);
        Objects.requireNonNull(attempt, "attempt");
        String suffix = HolderValues.suffix(holderInfo);
        String key = keyLayout.apply(sessionId);
        String masked = SessionIds.mask(sessionId);
        long start = clock.nanoTime();
        LocalWaiters.Waiter me = waiters.enter(key);
        if (me == null) {
            throw fail(Reason.TOO_MANY_WAITERS, start, 0, masked, null, null);
        }
        try {
            return spin(key, masked, start, suffix, me, attempt);
        } finally {
            waiters.leave(key, me);
        }
    }

    private <T> @Nullable Acquisition<T> spin(
            String key,
            String masked,
            long start,
            String holderSuffix,
            LocalWaiters.Waiter me,
            LockAttempt<T> attempt) {
        long deadline = start + settings.timeout().toNanos();
        Duration ttl = settings.lockTtl();
        long commandTimeoutNanos = settings.commandTimeout().toNanos();
        // The owner value is the random token followed by the holder's description; only the token makes it unique.
        String ownerValue = LockTokens.next() + holderSuffix;
        int attempts = 0;
        int failuresInARow = 0;
        boolean answered = false;
        LockStoreException lastError = null;
        LockStore.StoredLock lastHolder = null;
        while (true) {
            // Only the oldest local waiter polls the backend; the others wait for their turn (see LocalWaiters).
            boolean myTurn = waiters.isFirst(key, me);
            if (myTurn) {
                attempts++;
                long callTimeout =
                        Math.min(commandTimeoutNanos, Math.max(deadline - clock.nanoTime(), MIN_CALL_TIMEOUT_NANOS));
                try {
                    AttemptOutcome<T> outcome = attempt.attempt(key, ownerValue, ttl, Duration.ofNanos(callTimeout));
                    if (outcome instanceof AttemptOutcome.Acquired<T> acquired) {
                        return acquired(key, ownerValue, masked, start, attempts, acquired.value());
                    }
                    if (outcome instanceof AttemptOutcome.Absent<T>) {
                        return null;
                    }
                    lastHolder = ((AttemptOutcome.Held<T>) outcome).holder();
                    answered = true;
                    failuresInARow = 0;
                } catch (LockStoreException e) {
                    // The outcome is unknown: the attempt cleans up behind this owner value, which is never reused.
                    lastError = e;
                    failuresInARow++;
                    ownerValue = LockTokens.next() + holderSuffix;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw fail(Reason.INTERRUPTED, start, attempts, masked, lastHolder, e);
                }
            }
            long now = clock.nanoTime();
            if (now - deadline >= 0) {
                boolean backendDown = failuresInARow >= 2 || (failuresInARow == 1 && !answered);
                throw fail(
                        backendDown ? Reason.BACKEND_UNAVAILABLE : Reason.TIMEOUT,
                        start,
                        attempts,
                        masked,
                        lastHolder,
                        failuresInARow > 0 ? lastError : null);
            }
            // A waiter whose turn has not come checks again after one retry delay, or when woken.
            long pause = myTurn
                    ? delays.nextDelayNanos(attempts)
                    : settings.retryDelay().toNanos();
            try {
                clock.sleep(Math.min(pause, deadline - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail(Reason.INTERRUPTED, start, attempts, masked, lastHolder, e);
            }
        }
    }

    private <T> Acquisition<T> acquired(
            String key, String ownerValue, String masked, long start, int attempts, T value) {
        long acquiredAt = clock.nanoTime();
        listener.notify(l ->
                l.onAcquired(new SessionLockListener.Acquired(masked, Duration.ofNanos(acquiredAt - start), attempts)));
        SpinSessionLock lock = new SpinSessionLock(
                store, key, ownerValue, masked, acquiredAt, settings, listener, clock, () -> waiters.wakeFirst(key));
        return new Acquisition<>(lock, value);
    }

    /**
     * An attempt through {@link LockStore#tryAcquire}, one per acquisition. It also tells whether a refused {@code
     * SET NX} was refused because of this very owner value: a client that resends a command whose reply was lost in
     * a reconnect (Lettuce does, at least once) gets "exists" for its own key, and would otherwise wait for itself
     * until the deadline. Checked every {@value #OWNERSHIP_CHECK_EVERY} refusals, one {@code GET}.
     */
    private final class StoreAttempt implements LockAttempt<Boolean> {

        private int refusals;

        @Override
        public AttemptOutcome<Boolean> attempt(String key, String ownerValue, Duration ttl, Duration timeout)
                throws InterruptedException {
            if (store.tryAcquire(key, ownerValue, ttl, timeout)
                    || (++refusals % OWNERSHIP_CHECK_EVERY == 0 && store.isHeld(key, ownerValue, timeout))) {
                return AttemptOutcome.acquired(Boolean.TRUE);
            }
            return AttemptOutcome.held(null);
        }
    }

    private LockCouldNotBeAcquiredException fail(
            Reason reason,
            long start,
            int attempts,
            String masked,
            LockStore.@Nullable StoredLock lastHolder,
            @Nullable Throwable cause) {
        LockCouldNotBeAcquiredException exception = new LockCouldNotBeAcquiredException(
                reason,
                Duration.ofNanos(clock.nanoTime() - start),
                attempts,
                masked,
                lastHolder != null ? HolderValues.toHolder(lastHolder) : null,
                cause);
        listener.notify(l -> l.onFailed(exception));
        return exception;
    }

    @Override
    public Optional<LockHolder> holder(String sessionId) {
        SessionIds.requireValid(sessionId);
        LockStore.StoredLock stored = store.describe(keyLayout.apply(sessionId), settings.commandTimeout());
        return Optional.ofNullable(stored).map(HolderValues::toHolder);
    }

    @Override
    public boolean forceRelease(String sessionId) {
        SessionIds.requireValid(sessionId);
        String key = keyLayout.apply(sessionId);
        LockStore.StoredLock stored = store.describe(key, settings.commandTimeout());
        // Compare-and-delete with the value just read: a holder that took the lock in between keeps it.
        return stored != null && store.release(key, stored.value(), settings.commandTimeout());
    }

    @Override
    public LockSettings settings() {
        return settings;
    }

    @Override
    public int waitingCount() {
        return waiters.total();
    }

    /** The backend's short name, e.g. {@code redis}. */
    public String storeName() {
        return store.name();
    }
}
