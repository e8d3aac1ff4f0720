package io.sessionlocking.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One acquisition attempt as the engine asks a backend for it: which owner value wants the lock at which key, for how
 * long, within which time, whether it queues behind a holder, and how many requests of this node wait for the lock.
 *
 * <p>The waiter count is how a cap counts across nodes without a round trip of its own: every attempt on a held lock
 * records {@code nodeWaiters} as this node's count (under this owner value, which stands for the node while it polls
 * or queues), keeps it for {@code reportTtl} unless the same owner value reports again, takes it or leaves, and
 * answers with the sum of the other nodes' counts ({@link AttemptOutcome.Held#waitingElsewhere()}). An attempt that
 * takes the lock drops its count; so does a {@link LockStore#leave}.
 *
 * @param key the lock's backend key
 * @param ownerValue the owner value that wants the lock (token and holder description)
 * @param ttl the lock's time-to-live when taken
 * @param timeout the longest time the call may take
 * @param queueing whether, and how, to queue behind a holder
 * @param nodeWaiters this node's requests waiting for the lock, the caller included (at least 1)
 * @param reportTtl how long the backend keeps that count: the waiter's time left, so that a node that dies stops
 *     counting when its waiters would have given up
 */
public record AttemptRequest(
        String key,
        String ownerValue,
        Duration ttl,
        Duration timeout,
        Queueing queueing,
        int nodeWaiters,
        Duration reportTtl) {

    public AttemptRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ownerValue, "ownerValue");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(queueing, "queueing");
        Objects.requireNonNull(reportTtl, "reportTtl");
        if (nodeWaiters < 1) {
            throw new IllegalArgumentException("nodeWaiters must count the caller: " + nodeWaiters);
        }
    }

    /** A single attempt that nobody else waits with, e.g. one that creates the lock together with what it guards. */
    public static AttemptRequest alone(String key, String ownerValue, Duration ttl, Duration timeout) {
        return new AttemptRequest(key, ownerValue, ttl, timeout, Queueing.POLL, 1, timeout);
    }

    /** Whether and how an attempt on a held lock queues behind its holder. */
    public enum Queueing {
        /** Take the lock if it is free (or already this owner value's); never queue. */
        POLL,
        /** Take it if free, else queue this owner value at the end of the lock's queue. */
        QUEUE,
        /**
         * An earlier attempt of the same acquisition queued this owner value: taken if the lock was handed to it, else
         * still queued, else (its entry was lost) queued again.
         */
        QUEUED
    }
}
