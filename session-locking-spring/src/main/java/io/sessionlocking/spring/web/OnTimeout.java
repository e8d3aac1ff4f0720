package io.sessionlocking.spring.web;

/** What a request does when its session's lock cannot be acquired. */
public enum OnTimeout {

    /** The request ends with an error status (503 by default), a {@code Retry-After} header and a problem body. */
    FAIL,

    /** The session is loaded without the lock; the request's changes to it are discarded and it is never saved. */
    READ_ONLY,

    /** The session is loaded and saved without the lock, as with no locking at all; counted and logged. */
    PROCEED
}
