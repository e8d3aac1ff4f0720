package io.sessionlocking.core;

import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

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
     * Resets the lock's time-to-live to the configured TTL, if this handle still owns it, without waiting for the
     * backend. The result completes within the command timeout, with an {@link Extension}, or exceptionally with a
     * {@link LockStoreException} when the backend failed or did not answer in time and the last confirmed extension
     * (or the acquisition) is less than a TTL ago: the lock may or may not still be held; retry. The result may
     * complete on a client I/O thread: its callbacks must not block. Never throws itself.
     */
    CompletionStage<Extension> extend();

    /** The outcome of an {@link #extend()}. */
    enum Extension {
        /** Extended: the lock is held for a full TTL from when the call was made. */
        EXTENDED,
        /**
         * Lost, as the backend answered: the lock had expired or belongs to someone else. Reported to the listener,
         * once per handle.
         */
        LOST,
        /**
         * Presumed lost: the backend kept failing and no extension has been confirmed for a full TTL, so the lock has
         * expired by now (or will within a round trip) unless the backend ran extensions it could not answer. Reported
         * to the listener as a loss, once per handle. Unlike {@link #LOST} this says nothing of the backend but that it
         * fails.
         */
        PRESUMED_LOST,
        /** The handle was released (by a release or a save that released it, maybe while the call was under way). */
        RELEASED
    }

    /**
     * Deletes the lock if this handle still owns it. Idempotent: only the first call acts, later calls return its
     * result (a call racing the first one from another thread does not wait for it and may see {@code false}). Never
     * throws: a backend failure leaves the lock to expire at its TTL and returns {@code false}.
     *
     * @return {@code true} when this call (or the first one) deleted the lock; {@code false} when it had been lost or
     *     could not be deleted
     */
    boolean release();

    /**
     * Runs {@code operation} with this lock's key and owner value: a backend write that checks, atomically and in the
     * backend, that the lock is still this handle's (a fenced write); {@code owned} tells from its result whether it
     * was. A result that was not owned is reported to the listener as a lost lock, once per handle. Allowed after
     * {@link #release()} too: whether such a late write may land is the operation's (the backend's) decision.
     */
    <R> R fenced(FencedOperation<R> operation, Predicate<? super R> owned);

    /**
     * Releases the lock through {@code operation}, which does other work too (a save) and releases the lock
     * atomically with it in the backend; {@code released} tells from its result whether the lock was still this
     * handle's and is now free. Acts once, exactly like {@link #release()}: the same events, the same wake-up of this
     * JVM's next waiter, and once released (by either method) the handle never calls the backend to release again
     * (this method then returns {@code null} without running {@code operation}).
     *
     * <p>An exception from {@code operation} propagates; the handle counts as released (the lock, if it is still
     * held, expires at its TTL) and the listener hears {@code onReleaseFailed}.
     */
    <R> @Nullable R releaseWith(FencedOperation<R> operation, Predicate<? super R> released);

    /** Same as {@link #release()}. */
    @Override
    void close();
}
