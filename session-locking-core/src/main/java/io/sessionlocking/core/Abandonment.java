package io.sessionlocking.core;

/**
 * Tells a waiting acquisition that nobody wants its lock any more, e.g. because the HTTP client that sent the request
 * closed its connection. {@link SpinLockProvider} asks between its attempts and at least every half retry delay while it
 * waits (even while it waits for a hand-off), on the acquiring thread, and then gives up with {@link
 * LockCouldNotBeAcquiredException.Reason#ABANDONED}, leaving the lock (and releasing it on, if a hand-off gave it to the
 * acquisition meanwhile). So the check must be cheap and must not block.
 */
@FunctionalInterface
public interface Abandonment {

    /** An acquisition that is never abandoned: it waits until it succeeds or its deadline passes. */
    Abandonment NEVER = () -> false;

    /** Whether the acquisition should give up now; once {@code true}, it stays so. */
    boolean isAbandoned();
}
