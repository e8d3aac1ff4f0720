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
 * JVMs, with {@link LockSettings.WakeUp#NOTIFY} and a store that has a queue ({@link LockStore#handOffs()}), the oldest
 * waiter of each JVM queues in the backend, and a release hands the lock to the first of the queue and announces it:
 * the next holder on another node goes on as soon as the announcement reaches it, in arrival order, without
 * polling. While an announcement may have been missed, waiters poll at the retry delay; otherwise (and with {@link
 * LockSettings.WakeUp#POLL}) the first attempt after a release wins.
 *
 * <p>An attempt is a {@link LockStore#tryAcquire} by default, or any {@link LockAttempt}, e.g. one script that takes a
 * session's lock and returns the session in the same round trip. Keys come from a key layout: {@code
 * <namespace>:lock:{<id>}} by default, or another (the session's own key, when the lock lives inside the session).
 *
 * <p>This class is thread-safe; one instance serves the whole application.
 */
public final class SpinLockProvider implements SessionLockProvider {

    static final long MIN_CALL_TIMEOUT_MILLIS = 50;
    /**
     * Longest pause of a queued waiter whose announcements cannot have been missed: only a protocol fault (a queue
     * entry lost in a failover, a connection that died silently) would leave it waiting that long.
     */
    static final long HANDED_OVER_BACKSTOP_MILLIS = 1000;

    static final int OWNERSHIP_CHECK_EVERY = 8;
    private static final long MIN_CALL_TIMEOUT_NANOS =
            Duration.ofMillis(MIN_CALL_TIMEOUT_MILLIS).toNanos();
    private static final long HANDED_OVER_BACKSTOP_NANOS =
            Duration.ofMillis(HANDED_OVER_BACKSTOP_MILLIS).toNanos();

    private final LockStore store;
    private final LockSettings settings;
    private final SafeListener listener;
    private final LockClock clock;
    private final UnaryOperator<String> keyLayout;
    private final RetryDelays delays;
    private final LocalWaiters waiters;
    /** The store's announcements of hand-offs, when it has them and waiters are to be woken by them. */
    private final @Nullable HandOffs handOffs;

    private final boolean notify;

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
        HandOffs announced = settings.wakeUp() == LockSettings.WakeUp.NOTIFY ? store.handOffs() : null;
        this.handOffs = announced;
        this.notify = announced != null;
        if (announced != null) {
            announced.listen(new HandOffs.Listener() {
                @Override
                public void handedOver(String key, String ownerValue) {
                    waiters.handOver(key, ownerValue);
                }

                @Override
                public void mayHaveMissed(String key) {
                    waiters.wakeFirst(key); // it sees the period change and polls until a new one begins
                }
            });
        }
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
        me.ownerValue = ownerValue;
        int attempts = 0;
        int failuresInARow = 0;
        boolean answered = false;
        LockStoreException lastError = null;
        LockStore.StoredLock lastHolder = null;
        // Queued: the backend holds this owner value in the lock's queue, and its holder's release will hand the lock
        // over and announce it. queuedPeriod: the subscription period in which it was queued; while the watch reports
        // the same period no announcement can have been missed, so the waiter need not poll (see HandOffs).
        boolean queued = false;
        // Whether the last attempt was answered with Queued: only then must a waiter that gives up leave the queue
        // itself; after a failed attempt the store has already sent the leave behind it.
        boolean answeredQueued = false;
        long queuedPeriod = HandOffs.NOT_SUBSCRIBED;
        HandOffs.Watch watch = null;
        boolean acquired = false;
        try {
            while (true) {
                if (me.handedOver) {
                    me.handedOver = false;
                    AttemptOutcome<T> handed = attempt.handedOver();
                    if (handed instanceof AttemptOutcome.Acquired<T> taken) {
                        acquired = true;
                        return acquired(key, ownerValue, masked, start, attempts, taken.value());
                    }
                }
                // Only the oldest local waiter polls the backend; the others wait for their turn (see LocalWaiters).
                boolean myTurn = waiters.isFirst(key, me);
                if (myTurn) {
                    attempts++;
                    long callTimeout = Math.min(
                            commandTimeoutNanos, Math.max(deadline - clock.nanoTime(), MIN_CALL_TIMEOUT_NANOS));
                    // Read before the attempt is sent: a period that began later may have missed its announcement.
                    long period = watch != null
                            ? watch.period()
                            : handOffs != null ? handOffs.period(key) : HandOffs.NOT_SUBSCRIBED;
                    try {
                        AttemptOutcome<T> outcome =
                                attempt.attempt(key, ownerValue, ttl, Duration.ofNanos(callTimeout), queued);
                        if (outcome instanceof AttemptOutcome.Acquired<T> taken) {
                            acquired = true;
                            return acquired(key, ownerValue, masked, start, attempts, taken.value());
                        }
                        if (outcome instanceof AttemptOutcome.Absent<T>) {
                            acquired = true; // nothing to lock, nothing queued: nothing to leave
                            return null;
                        }
                        answeredQueued = outcome instanceof AttemptOutcome.Queued<T>;
                        if (outcome instanceof AttemptOutcome.Queued<T> inQueue) {
                            lastHolder = inQueue.holder();
                            if (!queued || period != queuedPeriod) {
                                queuedPeriod = period;
                            }
                            queued = true;
                            if (watch == null && handOffs != null) {
                                // A channel subscribed before the attempt was sent (the period read above) keeps its
                                // period; one subscribed only now starts a new one, and the waiter polls once more.
                                watch = handOffs.watch(key);
                            }
                        } else {
                            lastHolder = ((AttemptOutcome.Held<T>) outcome).holder();
                            queued = false;
                        }
                        answered = true;
                        failuresInARow = 0;
                    } catch (LockStoreException e) {
                        lastError = e;
                        failuresInARow++;
                        answeredQueued = false;
                        if (notify) {
                            // The outcome is unknown, and the owner value may sit in the queue: keep it, so that the
                            // next attempt finds it (taken, or queued once) instead of leaving a stranger queued.
                            queued = true;
                            queuedPeriod = HandOffs.NOT_SUBSCRIBED;
                        } else {
                            // The outcome is unknown: the store cleans up behind this owner value, never reused.
                            ownerValue = LockTokens.next() + holderSuffix;
                            me.ownerValue = ownerValue;
                        }
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
                long pause;
                if (!myTurn) {
                    pause = settings.retryDelay().toNanos(); // or until woken by this JVM's release
                } else if (queued
                        && watch != null
                        && queuedPeriod != HandOffs.NOT_SUBSCRIBED
                        && watch.period() == queuedPeriod) {
                    // The announcement wakes it. It checks again only when the holder's lock would expire (a dead
                    // holder's lock takes its queue with it), and at the backstop, which guards the protocol itself.
                    pause = HANDED_OVER_BACKSTOP_NANOS;
                    if (lastHolder != null) {
                        pause = Math.min(
                                pause,
                                lastHolder.ttl().toNanos()
                                        + settings.retryDelay().toNanos());
                    }
                } else if (queued) {
                    pause = settings.retryDelay().toNanos(); // an announcement may have been missed: poll
                } else {
                    pause = delays.nextDelayNanos(attempts);
                }
                try {
                    clock.sleep(Math.min(pause, deadline - now));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw fail(Reason.INTERRUPTED, start, attempts, masked, lastHolder, e);
                }
            }
        } finally {
            if (!acquired && answeredQueued) {
                // Out of the queue, so that no release hands the lock to a waiter that has gone (and if one just did,
                // the leave releases it on to the next). Sent without waiting for it.
                attempt.leave(key, ownerValue, settings.commandTimeout());
            }
            if (watch != null) {
                watch.close();
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
        public AttemptOutcome<Boolean> attempt(
                String key, String ownerValue, Duration ttl, Duration timeout, boolean queued)
                throws InterruptedException {
            if (notify) {
                return store.acquireOrQueue(key, ownerValue, ttl, timeout, queued);
            }
            if (store.tryAcquire(key, ownerValue, ttl, timeout)
                    || (++refusals % OWNERSHIP_CHECK_EVERY == 0 && store.isHeld(key, ownerValue, timeout))) {
                return AttemptOutcome.acquired(Boolean.TRUE);
            }
            return AttemptOutcome.held(null);
        }

        @Override
        public void leave(String key, String ownerValue, Duration timeout) {
            try {
                store.leaveQueue(key, ownerValue, settings.lockTtl(), timeout);
            } catch (RuntimeException e) {
                // Best effort: the entry's own deadline takes it out of the queue otherwise.
            }
        }

        /** The announcement is the proof: the release that made this owner value the holder published it. */
        @Override
        public AttemptOutcome<Boolean> handedOver() {
            return AttemptOutcome.acquired(Boolean.TRUE);
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
        return stored != null && store.release(key, stored.value(), settings.lockTtl(), settings.commandTimeout());
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
