package io.sessionlocking.cache;

import java.time.Duration;

/**
 * Receives regeneration events, e.g. to record metrics. Called synchronously on the thread concerned, after the fact,
 * so implementations must be quick and must not block; an exception a listener throws is logged and otherwise
 * ignored. Events carry the cache name, never a key or a value.
 */
public interface RegenerationListener {

    RegenerationListener NONE = new RegenerationListener() {};

    /** A guard for the cache {@code cache} was made; e.g. to register its gauges. */
    default void onGuardCreated(String cache) {}

    /** A caller got a value without waiting: fresh, or stale while someone regenerates it. */
    default void onHit(String cache, Hit hit) {}

    /** A stale copy was served, for {@code reason}. */
    default void onStaleServed(String cache, StaleReason reason) {}

    /** A regeneration ended: how long the loader ran, what started it and how it ended. */
    default void onRegenerated(String cache, Trigger trigger, Outcome outcome, Duration took) {}

    /** A caller waited for another caller's regeneration, for {@code waited}, and got {@code outcome}. */
    default void onWaited(String cache, WaitOutcome outcome, Duration waited) {}

    /** A Redis command failed or timed out; what the caller did next follows from the settings. */
    default void onBackendFailure(String cache, RuntimeException failure) {}

    /** What a caller got without waiting. */
    enum Hit {
        FRESH,
        STALE
    }

    /** Why a stale copy was served. */
    enum StaleReason {
        /** Within stale-while-revalidate, while one caller regenerates it. */
        REVALIDATING,
        /** Within stale-if-error, because the regeneration failed. */
        ERROR,
        /** Within stale-if-error, because the wait for the regeneration timed out. */
        TIMEOUT
    }

    /** What started a regeneration. */
    enum Trigger {
        /** No servable value. */
        MISS,
        /** A stale value within stale-while-revalidate. */
        STALE,
        /** A fresh value the XFetch draw chose to refresh early. */
        EARLY
    }

    /** How a regeneration ended. */
    enum Outcome {
        /** Stored. */
        SUCCESS,
        /** The loader threw. */
        FAILURE,
        /** Loaded, but the lock was lost (expired, or superseded by a put or an evict): returned, not stored. */
        LOST
    }

    /** What a caller that waited got. */
    enum WaitOutcome {
        VALUE,
        FAILED,
        TIMEOUT
    }
}
