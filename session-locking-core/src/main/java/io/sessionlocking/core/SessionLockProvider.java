package io.sessionlocking.core;

/**
 * Acquires per-session locks. Implementations are thread-safe.
 */
public interface SessionLockProvider {

    /**
     * Acquires the lock of a session, waiting up to the configured timeout.
     *
     * @param sessionId the session id; a malformed id (empty, longer than 256 characters, or with characters outside
     *     printable ASCII, spaces or braces) is rejected at once with {@link IllegalArgumentException}
     * @return the held lock; release it in a {@code finally} block or with try-with-resources
     * @throws LockCouldNotBeAcquiredException when the lock could not be acquired in time, too many requests of this
     *     session already wait, the backend is unavailable, or the thread was interrupted (its interrupt status is set
     *     again)
     */
    SessionLock acquire(String sessionId);

    /** The settings this provider runs with. */
    LockSettings settings();

    /** Requests waiting for a session lock in this JVM right now, over all sessions. */
    int waitingCount();
}
