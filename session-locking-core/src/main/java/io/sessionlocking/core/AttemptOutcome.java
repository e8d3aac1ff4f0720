package io.sessionlocking.core;

import org.jspecify.annotations.Nullable;

/**
 * What one {@link LockAttempt} found: the lock taken (with what the attempt read), the lock held by someone else
 * (with who and for how long, when the backend told), or nothing to lock at all (e.g. no such session).
 *
 * @param <T> what a successful attempt returns besides the lock
 */
public sealed interface AttemptOutcome<T> permits AttemptOutcome.Acquired, AttemptOutcome.Held, AttemptOutcome.Absent {

    /** The attempt took the lock; {@code value} is what it read in the same call. */
    record Acquired<T>(T value) implements AttemptOutcome<T> {}

    /** Someone else holds the lock; {@code holder} is its stored value and remaining TTL, or null when unknown. */
    record Held<T>(LockStore.@Nullable StoredLock holder) implements AttemptOutcome<T> {}

    /** There is nothing to lock (the guarded resource does not exist); no lock state was created. */
    record Absent<T>() implements AttemptOutcome<T> {}

    static <T> AttemptOutcome<T> acquired(T value) {
        return new Acquired<>(value);
    }

    static <T> AttemptOutcome<T> held(LockStore.@Nullable StoredLock holder) {
        return new Held<>(holder);
    }

    static <T> AttemptOutcome<T> absent() {
        return new Absent<>();
    }
}
