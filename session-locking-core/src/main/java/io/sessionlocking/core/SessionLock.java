package io.sessionlocking.core;

/**
 * A held session lock: a single-use handle owned by whoever acquired it, not by a thread, so any thread may extend or
 * release it (an async request completes on another thread than it started on).
 *
 * <p>Every operation acts only while the handle's own token still owns the lock in the backend: a lock that expired
 * and was taken by another request is never extended or deleted through a stale handle. A handle is safe to use from
 * several threads at once.
 */
public interface SessionLock extends AutoCloseable {

    /** The session id, masked for logs. */
    String maskedSessionId();

    /**
     * Asks the backend whether this handle still owns the lock.
     *
     * @throws LockStoreException when the backend fails or does not answer within the command timeout
     */
    boolean isHeld();

    /**
     * Resets the lock's time-to-live to the configured TTL, if this handle still owns it. Returns {@code false}, and
     * reports the lock as lost to the listener, when the lock had expired or belongs to someone else; returns
     * {@code false} without a backend call once the handle is released.
     *
     * @throws LockStoreException when the backend fails or does not answer within the command timeout (the lock may
     *     or may not still be held: retry or let it expire)
     */
    boolean extend();

    /**
     * Deletes the lock if this handle still owns it. Idempotent: only the first call acts, later calls return its
     * result (a call racing the first one from another thread does not wait for it and may see {@code false}). Never
     * throws: a backend failure leaves the lock to expire at its TTL and returns {@code false}.
     *
     * @return {@code true} when this call (or the first one) deleted the lock; {@code false} when it had been lost or
     *     could not be deleted
     */
    boolean release();

    /** Same as {@link #release()}. */
    @Override
    void close();
}
