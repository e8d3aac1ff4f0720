package io.sessionlocking.core;

import java.time.Duration;

/**
 * One atomic try at a lock, which may also read what the lock guards in the same backend call: a script that takes a
 * session's lock and returns the session is one attempt. {@link SpinLockProvider} calls it until it succeeds, finds
 * nothing to lock, or the deadline passes; waiting, owner values, timeouts and events stay the engine's.
 *
 * <p>Contract, as for {@link LockStore#tryAcquire}: the attempt is atomic in the backend (two racing attempts on a
 * free lock never both succeed), returns or throws within {@code timeout}, reports a backend failure or time-out as a
 * {@link LockStoreException}, and, when the outcome is unknown (a time-out after the command was sent), arranges
 * best-effort that {@code ownerValue} does not keep the lock; the engine never reuses that owner value.
 *
 * @param <T> what a successful attempt returns besides the lock (e.g. the session's stored fields)
 */
@FunctionalInterface
public interface LockAttempt<T> {

    /**
     * Tries once to make {@code ownerValue} the owner of the lock at {@code key} for {@code ttl}. An attempt whose
     * owner value already owns the lock succeeds again.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting for the backend
     */
    AttemptOutcome<T> attempt(String key, String ownerValue, Duration ttl, Duration timeout)
            throws InterruptedException;
}
