package io.sessionlocking.core;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
     *     session or of this node already wait, the backend is unavailable, or the thread was interrupted (its
     *     interrupt status is set again)
     */
    SessionLock acquire(String sessionId);

    /**
     * Like {@link #acquire(String)}, storing {@code holderInfo} with the lock so that any node can tell who holds it
     * ({@link #holder}). The description must not contain the session id; at most {@value #MAX_HOLDER_INFO_LENGTH}
     * printable characters are kept.
     */
    default SessionLock acquire(String sessionId, String holderInfo) {
        return acquire(sessionId, holderInfo, Abandonment.NEVER);
    }

    /**
     * Like {@link #acquire(String, String)}, giving up with {@link LockCouldNotBeAcquiredException.Reason#ABANDONED}
     * within about one retry delay of {@code abandonment} turning true (e.g. the client went away), without taking the
     * lock.
     */
    SessionLock acquire(String sessionId, String holderInfo, Abandonment abandonment);

    /**
     * Acquires the lock of a session through {@code attempt}, which takes the lock and may read what it guards in the
     * same backend call; waits, times out and fails exactly like {@link #acquire(String, String, Abandonment)}.
     *
     * @return the held lock with what the successful attempt read, or {@code null} when an attempt found nothing to
     *     lock ({@link AttemptOutcome.Absent}): then no lock is held and nothing was left behind
     * @throws LockCouldNotBeAcquiredException as {@link #acquire(String)}
     */
    <T> @Nullable Acquisition<T> acquire(
            String sessionId, String holderInfo, LockAttempt<T> attempt, Abandonment abandonment);

    /** Like {@link #acquire(String, String, LockAttempt, Abandonment)} for an acquisition that nobody abandons. */
    default <T> @Nullable Acquisition<T> acquire(String sessionId, String holderInfo, LockAttempt<T> attempt) {
        return acquire(sessionId, holderInfo, attempt, Abandonment.NEVER);
    }

    /** A held lock together with what the attempt that took it read. */
    record Acquisition<T>(SessionLock lock, T value) {}

    /**
     * Who holds the lock of a session now, on any node, or empty when it is free.
     *
     * @throws LockStoreException when the backend fails or does not answer within the command timeout
     */
    Optional<LockHolder> holder(String sessionId);

    /**
     * Deletes the lock of a session whoever holds it, for an operator freeing a stuck lock. The holder finds its lock
     * lost when it next extends or releases it.
     *
     * @return {@code true} when a lock was deleted
     * @throws LockStoreException when the backend fails or does not answer within the command timeout
     */
    boolean forceRelease(String sessionId);

    /** Longest holder description kept with a lock. */
    int MAX_HOLDER_INFO_LENGTH = 256;

    /** A lock's holder as stored with it: the holder's own description and the lock's remaining time-to-live. */
    record LockHolder(String holderInfo, Duration ttl) {}

    /** The settings this provider runs with. */
    LockSettings settings();

    /** Requests waiting for a held session lock in this JVM right now, over all sessions. */
    int waitingCount();
}
