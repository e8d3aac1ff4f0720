package io.sessionlocking.spring.web;

/** When a request that started async processing releases its session's lock. */
public enum AsyncPolicy {

    /** At the end of the async processing (its last dispatch, or completion): the whole request is serialized. */
    HOLD,

    /**
     * At the end of the dispatch that started async processing, so that a long stream does not hold the session
     * hostage. What the async part writes afterwards is fenced: it lands only while no other request has taken the
     * lock since (fused repository); the decorator drops it.
     */
    RELEASE_AFTER_DISPATCH
}
