package io.sessionlocking.core;

import org.jspecify.annotations.Nullable;

/**
 * What one {@link LockAttempt} found: the lock taken (with what the attempt read), the lock held by someone else
 * (with who and for how long, when the backend told), the lock held and the caller queued in the backend behind its
 * holder (the holder's release hands it over and announces that, see {@link HandOffs}), or nothing to lock at all
 * (e.g. no such session). A refused attempt also tells how many requests of other nodes wait for the lock, as they last
 * reported it (see {@link AttemptRequest}).
 *
 * @param <T> what a successful attempt returns besides the lock
 */
public sealed interface AttemptOutcome<T>
        permits AttemptOutcome.Acquired, AttemptOutcome.Held, AttemptOutcome.Queued, AttemptOutcome.Absent {

    /** The attempt took the lock; {@code value} is what it read in the same call. */
    record Acquired<T>(T value) implements AttemptOutcome<T> {}

    /**
     * Someone else holds the lock; {@code holder} is its stored value and remaining TTL, or null when unknown, and
     * {@code waitingElsewhere} the waiters of other nodes as they last reported (0 when none or unknown).
     */
    record Held<T>(LockStore.@Nullable StoredLock holder, int waitingElsewhere) implements AttemptOutcome<T> {}

    /**
     * Someone else holds the lock and the caller's owner value waits in the backend's queue of the lock: the release
     * of the holder before it hands the lock to it directly. {@code waitingElsewhere} as for {@link Held}.
     */
    record Queued<T>(LockStore.@Nullable StoredLock holder, int waitingElsewhere) implements AttemptOutcome<T> {}

    /** There is nothing to lock (the guarded resource does not exist); no lock state was created. */
    record Absent<T>() implements AttemptOutcome<T> {}

    static <T> AttemptOutcome<T> acquired(T value) {
        return new Acquired<>(value);
    }

    static <T> AttemptOutcome<T> held(LockStore.@Nullable StoredLock holder, int waitingElsewhere) {
        return new Held<>(holder, waitingElsewhere);
    }

    static <T> AttemptOutcome<T> queued(LockStore.@Nullable StoredLock holder, int waitingElsewhere) {
        return new Queued<>(holder, waitingElsewhere);
    }

    static <T> AttemptOutcome<T> absent() {
        return new Absent<>();
    }
}
