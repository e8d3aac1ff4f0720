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
 * doomed). A backend that fails gives its answer sooner: a failing streak (calls for the session that fail or time out,
 * with no answered call in between, counted from when the first of them was sent) ends the wait with {@link
 * Reason#BACKEND_UNAVAILABLE} once it has lasted the command timeout, so a request during an outage is answered within
 * about {@code commandTimeout + retryDelay} (a call that timed out has used the whole budget at once; the calls of a
 * streak are bounded by what is left of it, at least {@value #MIN_CALL_TIMEOUT_MILLIS} ms). A shorter blip (a refused
 * connection while Redis restarts) is retried at the retry delay and survived. The other waiters of the session on this
 * node see the same streak and fail with it; the first of them after it makes one call, so that a recovery is noticed.
 *
 * <p>At the deadline the reason is {@link Reason#BACKEND_UNAVAILABLE} when the backend was failing at the end: the last
 * two attempts failed, or it never answered at all. A single slow reply at the deadline after the lock was seen held is
 * a {@link Reason#TIMEOUT}: the lock was busy, the backend was not down.
 *
 * <p>Waiter caps ({@link LocalWaiters}): a request that would wait behind {@link LockSettings#maxWaitersPerSession()}
 * others of its session fails at once with {@link Reason#TOO_MANY_WAITERS}, and one that would wait while {@link
 * LockSettings#maxWaitersPerNode()} requests of this node already wait fails at once with {@link
 * Reason#NODE_SATURATED}; a request whose lock is free is never refused. The per-session cap counts every node's
 * waiters without a round trip of its own: each attempt on a held lock reports this node's waiters for the session
 * and is answered with the other nodes' (see {@link AttemptRequest}), and a newcomer is refused when this node's
 * waiters plus the others', as last reported, reach the cap. Exact within a node; across nodes the others' count is as
 * old as the two nodes' last attempts on the lock (one retry delay while their waiters poll, up to the {@value
 * #HANDED_OVER_BACKSTOP_MILLIS} ms backstop while they wait for an announced hand-off), so a burst that starts on
 * several nodes at once may overshoot the cap until those attempts, by at most the cap per node. Admitted waiters are
 * never evicted. A dead node's count lapses when its waiters would have given up.
 *
 * <p>Abandonment: an acquisition given an {@link Abandonment} asks it before every attempt and at least every retry
 * delay while it pauses (its pause is cut into retry delays, also while it waits for a hand-off), and gives up with
 * {@link Reason#ABANDONED} within one retry delay of it turning true. It never takes the lock then: a lock a hand-off
 * gave it meanwhile is released on by its leave.
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
 * <p>An attempt is a {@link LockStore#acquire} by default, or any {@link LockAttempt}, e.g. one script that takes a
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
    private final StoreAttempt storeAttempt = new StoreAttempt();

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
        this.waiters = new LocalWaiters(settings.maxWaitersPerSession(), settings.maxWaitersPerNode());
        HandOffs announced = settings.wakeUp() == LockSettings.WakeUp.NOTIFY ? store.handOffs() : null;
        this.handOffs = announced;
        this.notify = announced != null;
        if (announced != null) {
            announced.listen(new HandOffs.Listener() {
                @Override
                public void handedOver(String key, String ownerValue) {
                    if (ownerValue.isEmpty()) {
                        waiters.wakeAll(key); // the key is gone, and nobody will be handed it: all look again now
                    } else {
                        waiters.handOver(key, ownerValue);
                    }
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
        return acquire(sessionId, "", Abandonment.NEVER);
    }

    @Override
    public SessionLock acquire(String sessionId, String holderInfo, Abandonment abandonment) {
        Acquisition<Boolean> acquisition = acquire(sessionId, holderInfo, storeAttempt, abandonment);
        // A store attempt never reports the lock's resource absent: it creates the lock key itself.
        return Objects.requireNonNull(acquisition, "store attempts are never absent")
                .lock();
    }

    @Override
    public <T> @Nullable Acquisition<T> acquire(
            String sessionId, String holderInfo, LockAttempt<T> attempt, Abandonment abandonment) {
        SessionIds.requireValid(sessionId);
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(abandonment, "abandonment");
        String suffix = HolderValues.suffix(holderInfo);
        String key = keyLayout.apply(sessionId);
        String masked = SessionIds.mask(sessionId);
        long start = clock.nanoTime();
        LocalWaiters.Entry entry = waiters.enter(key);
        LocalWaiters.Waiter me = entry.waiter();
        if (me == null) {
            throw fail(Objects.requireNonNull(entry.refusal()), start, 0, masked, null, null);
        }
        try {
            return spin(key, masked, start, suffix, me, attempt, abandonment);
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
            LockAttempt<T> attempt,
            Abandonment abandonment) {
        long deadline = start + settings.timeout().toNanos();
        Duration ttl = settings.lockTtl();
        long commandTimeoutNanos = settings.commandTimeout().toNanos();
        boolean watched = abandonment != Abandonment.NEVER;
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
        // Whether the last attempt was answered with the lock held: the backend then keeps this owner value's waiter
        // count (and queue entry), so a waiter that gives up must leave itself; after a failed attempt the store has
        // already sent the leave behind it.
        boolean mustLeave = false;
        long queuedPeriod = HandOffs.NOT_SUBSCRIBED;
        HandOffs.Watch watch = null;
        boolean acquired = false;
        try {
            while (true) {
                me.woken = false;
                if (watched && abandonment.isAbandoned()) {
                    // The finally block leaves the queue, releasing on a lock that a hand-off gave it meanwhile.
                    throw fail(Reason.ABANDONED, start, attempts, masked, lastHolder, null);
                }
                if (me.handedOver) {
                    me.handedOver = false;
                    AttemptOutcome<T> handed = attempt.handedOver();
                    if (handed instanceof AttemptOutcome.Acquired<T> taken) {
                        acquired = true;
                        return acquired(key, ownerValue, masked, start, attempts, taken.value());
                    }
                }
                // Only the oldest local waiter polls the backend; the others wait for their turn (see LocalWaiters).
                boolean myTurn = waiters.isFirst(me);
                if (myTurn) {
                    attempts++;
                    long sentAt = clock.nanoTime();
                    long callTimeout = callTimeout(sentAt, deadline, waiters.failingSince(me), commandTimeoutNanos);
                    // Read before the attempt is sent: a period that began later may have missed its announcement.
                    long period = watch != null
                            ? watch.period()
                            : handOffs != null ? handOffs.period(key) : HandOffs.NOT_SUBSCRIBED;
                    AttemptRequest request = new AttemptRequest(
                            key,
                            ownerValue,
                            ttl,
                            Duration.ofNanos(callTimeout),
                            !notify
                                    ? AttemptRequest.Queueing.POLL
                                    : queued ? AttemptRequest.Queueing.QUEUED : AttemptRequest.Queueing.QUEUE,
                            waiters.count(me),
                            Duration.ofNanos(Math.max(deadline - sentAt, 0) + commandTimeoutNanos));
                    try {
                        AttemptOutcome<T> outcome = attempt.attempt(request);
                        waiters.answered(me);
                        answered = true;
                        failuresInARow = 0;
                        if (outcome instanceof AttemptOutcome.Acquired<T> taken) {
                            acquired = true;
                            return acquired(key, ownerValue, masked, start, attempts, taken.value());
                        }
                        if (outcome instanceof AttemptOutcome.Absent<T>) {
                            acquired = true; // nothing to lock, nothing queued: nothing to leave
                            return null;
                        }
                        mustLeave = true;
                        int elsewhere;
                        if (outcome instanceof AttemptOutcome.Queued<T> inQueue) {
                            lastHolder = inQueue.holder();
                            elsewhere = inQueue.waitingElsewhere();
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
                            AttemptOutcome.Held<T> held = (AttemptOutcome.Held<T>) outcome;
                            lastHolder = held.holder();
                            elsewhere = held.waitingElsewhere();
                            queued = false;
                        }
                        waiters.reportedElsewhere(me, elsewhere);
                        Reason refused = waiters.startWaiting(key, me);
                        if (refused != null) {
                            throw fail(refused, start, attempts, masked, lastHolder, null);
                        }
                    } catch (LockStoreException e) {
                        lastError = e;
                        failuresInARow++;
                        mustLeave = false;
                        waiters.failed(me, sentAt);
                        // The outcome is unknown: the store sends a leave behind the failed attempt, which takes
                        // this owner value out of the queue, or passes the lock on if a release has just handed it
                        // over. So the value is never reused, and an announcement for it, even one already heard,
                        // must not count (the owner value is replaced before the flag is cleared: the listener
                        // matches announcements against it).
                        ownerValue = LockTokens.next() + holderSuffix;
                        me.ownerValue = ownerValue;
                        me.handedOver = false;
                        queued = false;
                        queuedPeriod = HandOffs.NOT_SUBSCRIBED;
                        if (backendDown(me, commandTimeoutNanos)) {
                            waiters.wakeAll(key); // the session's other waiters here see the streak and fail with it
                            throw fail(Reason.BACKEND_UNAVAILABLE, start, attempts, masked, lastHolder, e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw fail(Reason.INTERRUPTED, start, attempts, masked, lastHolder, e);
                    }
                } else if (backendDown(me, commandTimeoutNanos)) {
                    // The session's first waiter has been failing for the command timeout: waiting on is pointless.
                    throw fail(Reason.BACKEND_UNAVAILABLE, start, attempts, masked, lastHolder, null);
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
                    pause(me, Math.min(pause, deadline - now), watched ? abandonment : null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw fail(Reason.INTERRUPTED, start, attempts, masked, lastHolder, e);
                }
            }
        } finally {
            if (!acquired && mustLeave) {
                // Out of the queue and its count dropped, so that no release hands the lock to a waiter that has gone
                // (and if one just did, the leave releases it on to the next). Sent without waiting for it.
                attempt.leave(key, ownerValue, settings.commandTimeout());
            }
            if (watch != null) {
                watch.close();
            }
        }
    }

    /**
     * The time one call may take: the command timeout, but no more than the time left until the deadline, nor than
     * what is left of a failing streak's budget; at least {@value #MIN_CALL_TIMEOUT_MILLIS} ms.
     */
    private static long callTimeout(long now, long deadline, long failingSince, long commandTimeoutNanos) {
        long limit = Math.min(commandTimeoutNanos, deadline - now);
        if (failingSince != LocalWaiters.NOT_FAILING) {
            limit = Math.min(limit, failingSince + commandTimeoutNanos - now);
        }
        return Math.max(limit, MIN_CALL_TIMEOUT_NANOS);
    }

    /** Whether the session's failing streak has lasted the command timeout. */
    private boolean backendDown(LocalWaiters.Waiter me, long commandTimeoutNanos) {
        long since = waiters.failingSince(me);
        return since != LocalWaiters.NOT_FAILING && clock.nanoTime() - since >= commandTimeoutNanos;
    }

    /**
     * Pauses up to {@code nanos}, returning early when the waiter is woken (a release of this JVM, a hand-off, the
     * first waiter leaving). With an abandonment to watch, it wakes at least every retry delay to ask it, and returns
     * as soon as it says so.
     */
    private void pause(LocalWaiters.Waiter me, long nanos, @Nullable Abandonment abandonment)
            throws InterruptedException {
        // Abandonment is checked every half retry delay: found within that, the request has the other half to unwind,
        // so that its worker is free within one retry delay of its client going away.
        long slice = abandonment != null ? Math.max(1, settings.retryDelay().toNanos() / 2) : Long.MAX_VALUE;
        long until = clock.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !me.woken; left = until - clock.nanoTime()) {
            clock.sleep(Math.min(left, slice));
            if (abandonment != null && abandonment.isAbandoned()) {
                return;
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

    /** The attempt through {@link LockStore#acquire}; stateless, so one serves every acquisition. */
    private final class StoreAttempt implements LockAttempt<Boolean> {

        @Override
        public AttemptOutcome<Boolean> attempt(AttemptRequest request) throws InterruptedException {
            return store.acquire(request);
        }

        @Override
        public void leave(String key, String ownerValue, Duration timeout) {
            try {
                store.leave(key, ownerValue, settings.lockTtl(), timeout);
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
        return waiters.waiting();
    }

    /** The backend's short name, e.g. {@code redis}. */
    public String storeName() {
        return store.name();
    }
}
