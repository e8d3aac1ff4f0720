package io.sessionlocking.core;

/**
 * A backend operation that proves, inside the backend and atomically with its own work, that the lock's owner value
 * still owns the lock: a save that writes only while its lock is its own (a fenced write), or one that also releases
 * the lock. See {@link SessionLock#fenced} and {@link SessionLock#releaseWith}.
 *
 * @param <R> what the operation returns
 */
@FunctionalInterface
public interface FencedOperation<R> {

    /**
     * Runs the operation for the lock at {@code key}, checking ownership by {@code ownerValue}. Never log or expose
     * the owner value: its random token is what makes the lock the caller's.
     */
    R run(String key, String ownerValue);
}
