package io.sessionlocking.cache;

import org.jspecify.annotations.Nullable;

/**
 * A {@link RegenerationGuard#get} that could not return a value. The message names the cache and the reason, never
 * the key or a value; the loader's own exception, where this node knows it, is the cause.
 */
public final class RegenerationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why no value could be returned. */
    public enum Reason {
        /**
         * The regeneration this caller waited for failed: on this node (the cause is the loader's exception) or on
         * another (no cause). The next caller retries.
         */
        FAILED,
        /** The wait for another caller's regeneration reached the wait timeout. */
        TIMEOUT,
        /** The thread was interrupted while it waited. */
        INTERRUPTED,
        /** Redis failed or did not answer, and the guard is configured to fail rather than load. */
        BACKEND_UNAVAILABLE
    }

    private final Reason reason;
    private final String cache;
    private final String detail;

    public RegenerationException(Reason reason, String cache, String detail, @Nullable Throwable cause) {
        super("Cache '" + cache + "': " + detail, cause);
        this.reason = reason;
        this.cache = cache;
        this.detail = detail;
    }

    /** The same failure as a new instance, so that each waiting caller gets a stack trace of its own. */
    RegenerationException copy() {
        return new RegenerationException(reason, cache, detail, getCause());
    }

    public Reason reason() {
        return reason;
    }

    public String cache() {
        return cache;
    }
}
