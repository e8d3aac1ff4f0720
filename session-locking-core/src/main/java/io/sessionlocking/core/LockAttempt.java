package io.sessionlocking.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One atomic try at a lock, which may also read what the lock guards in the same backend call: a script that takes a
 * session's lock and returns the session is one attempt. {@link SpinLockProvider} calls it until it succeeds, finds
 * nothing to lock, or the deadline passes; waiting, owner values, timeouts and events stay the engine's.
 *
 * <p>Contract, as for {@link LockStore#acquire}: the attempt is atomic in the backend (two racing attempts on a free
 * lock never both succeed), succeeds again for an owner value that already holds the lock, records the request's
 * waiter count when the lock is held and answers with the other nodes' (see {@link AttemptRequest}), returns or throws
 * within the request's timeout, reports a backend failure or time-out as a {@link LockStoreException}, and, when the
 * outcome is unknown (a time-out after the command was sent), arranges best-effort that the owner value does not keep
 * the lock, its queue entry or its count; the engine never reuses that owner value for a new queue entry.
 *
 * @param <T> what a successful attempt returns besides the lock (e.g. the session's stored fields)
 */
@FunctionalInterface
public interface LockAttempt<T> {

    /**
     * Tries once to make the request's owner value the owner of its lock.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting for the backend
     */
    AttemptOutcome<T> attempt(AttemptRequest request) throws InterruptedException;

    /**
     * The acquisition gives up after an attempt found the lock held: take {@code ownerValue} out of the queue and drop
     * its waiter count, and if the lock was handed to it meanwhile, release it (to the next in the queue). Best effort:
     * sent without waiting for the reply (the backend may be the reason the acquisition gave up), never throws.
     */
    default void leave(String key, String ownerValue, Duration timeout) {}

    /**
     * The backend announced that the lock was handed to this acquisition's owner value. Returns the outcome without a
     * backend call when the announcement is all the caller needs, or {@code null} to make one more {@link #attempt}
     * (which succeeds at once, the lock being the caller's), e.g. to read what the lock guards.
     */
    default @Nullable AttemptOutcome<T> handedOver() {
        return null;
    }
}
