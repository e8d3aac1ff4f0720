package io.sessionlocking.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A session's lock could not be acquired. Named after Spryker's exception, so that runbooks and log searches carry
 * over. Carries the {@link Reason}, the time waited, the number of backend attempts and the masked session id; the
 * full session id and the lock token never appear in it.
 */
public final class LockCouldNotBeAcquiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the lock could not be acquired. */
    public enum Reason {
        /** Another holder kept the lock until the acquisition timeout. */
        TIMEOUT,
        /**
         * Too many requests of this session were already waiting for its lock, on all nodes together (see {@link
         * LockSettings#maxWaitersPerSession()}): refused at once, without waiting.
         */
        TOO_MANY_WAITERS,
        /**
         * Too many requests of all sessions were already waiting for a lock on this node (see {@link
         * LockSettings#maxWaitersPerNode()}): refused at once, without waiting.
         */
        NODE_SATURATED,
        /**
         * The backend kept failing (or did not answer) for the command timeout, or until the acquisition timeout when
         * that came first.
         */
        BACKEND_UNAVAILABLE,
        /**
         * Nobody wanted the lock any more while the request waited for it (its client went away, see {@link
         * Abandonment}); it left the lock alone.
         */
        ABANDONED,
        /** The waiting thread was interrupted; its interrupt status is set again. */
        INTERRUPTED
    }

    private final Reason reason;
    private final Duration waited;
    private final int attempts;
    private final String maskedSessionId;
    private final SessionLockProvider.@Nullable LockHolder lastHolder;

    public LockCouldNotBeAcquiredException(
            Reason reason, Duration waited, int attempts, String maskedSessionId, @Nullable Throwable cause) {
        this(reason, waited, attempts, maskedSessionId, null, cause);
    }

    /**
     * @param lastHolder who held the lock at the last attempt, when the backend told (a lock-and-load script does;
     *     a plain {@code SET NX} does not)
     */
    public LockCouldNotBeAcquiredException(
            Reason reason,
            Duration waited,
            int attempts,
            String maskedSessionId,
            SessionLockProvider.@Nullable LockHolder lastHolder,
            @Nullable Throwable cause) {
        super(
                "Could not acquire the lock of session " + maskedSessionId + ": " + reason + " after "
                        + waited.toMillis() + " ms and " + attempts + " attempt(s)",
                cause);
        this.reason = reason;
        this.waited = waited;
        this.attempts = attempts;
        this.maskedSessionId = maskedSessionId;
        this.lastHolder = lastHolder;
    }

    public Reason reason() {
        return reason;
    }

    /** Time from the start of the acquisition to the failure. */
    public Duration waited() {
        return waited;
    }

    /** Acquisition attempts sent to the backend (each one a Redis command for the Redis backends). */
    public int attempts() {
        return attempts;
    }

    /** Who held the lock when the last attempt was refused, when the backend told; never the owner token. */
    public SessionLockProvider.@Nullable LockHolder lastHolder() {
        return lastHolder;
    }

    /** The session id, masked so that it cannot be used to hijack the session. */
    public String maskedSessionId() {
        return maskedSessionId;
    }
}
