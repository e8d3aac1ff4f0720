package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;

/**
 * What a request does when its session's lock cannot be acquired. A request over a waiter cap ({@link
 * LockCouldNotBeAcquiredException.Reason#TOO_MANY_WAITERS}, {@link
 * LockCouldNotBeAcquiredException.Reason#NODE_SATURATED}) always fails, whatever is configured: the caps exist to shed
 * load at once, and serving it read-only or unlocked would hide dropped or racing changes behind a success. An
 * abandoned request ({@link LockCouldNotBeAcquiredException.Reason#ABANDONED}: its client went away) always fails too,
 * without a response: it must neither run unlocked nor save.
 */
public enum OnTimeout {

    /** The request ends with an error status (503 by default), a {@code Retry-After} header and a problem body. */
    FAIL,

    /** The session is loaded without the lock; the request's changes to it are discarded and it is never saved. */
    READ_ONLY,

    /** The session is loaded and saved without the lock, as with no locking at all; counted and logged. */
    PROCEED;

    /** What a request that failed with {@code failure} does: this, except that one refused or abandoned fails. */
    public OnTimeout forFailure(LockCouldNotBeAcquiredException failure) {
        return switch (failure.reason()) {
            case TOO_MANY_WAITERS, NODE_SATURATED, ABANDONED -> FAIL;
            case TIMEOUT, BACKEND_UNAVAILABLE, INTERRUPTED -> this;
        };
    }
}
