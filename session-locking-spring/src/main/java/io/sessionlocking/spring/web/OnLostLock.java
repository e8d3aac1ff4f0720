package io.sessionlocking.spring.web;

/**
 * What a request does when a save finds that its session's lock is no longer its own (it expired and another request
 * took it, or an operator released it): the write is never applied either way, since it would overwrite newer data.
 */
public enum OnLostLock {

    /**
     * The request fails like a lock timeout (the failure status, {@code Retry-After} and a problem body with reason
     * {@code lock_lost}) while its response is not committed yet; a rejected write never hides behind a 200.
     */
    FAIL,

    /** The response stands and the write is dropped; logged and counted ({@code session.lock.lost}). */
    DISCARD
}
