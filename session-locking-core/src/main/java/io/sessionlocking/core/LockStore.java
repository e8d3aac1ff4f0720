package io.sessionlocking.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The backend SPI: four atomic operations on one lock key. A backend implements only these; waiting, timeouts, tokens
 * and events are the engine's ({@link SpinLockProvider}), so every backend behaves the same.
 *
 * <p>Each operation must be atomic in the backend (one command or one script): two callers racing on a free key can
 * never both see {@link #tryAcquire} succeed. Each call returns or throws within its {@code timeout}; a backend
 * failure or time-out is a {@link LockStoreException}. Implementations are thread-safe.
 */
public interface LockStore {

    /**
     * Sets {@code key} to {@code token} with the given time-to-live, only if the key does not exist.
     *
     * <p>When the outcome is unknown (the call timed out or was interrupted after the command was sent) the
     * implementation must arrange, best-effort, that the token does not keep the lock, e.g. by sending a
     * compare-and-delete behind it; the engine never reuses such a token.
     *
     * @return {@code true} when this call took the lock
     * @throws InterruptedException when the calling thread is interrupted while waiting for the backend
     */
    boolean tryAcquire(String key, String token, Duration ttl, Duration timeout) throws InterruptedException;

    /**
     * Releases the lock at {@code key} only if {@code token} holds it; {@code true} when released. A store with a queue
     * hands the lock to the first queued token, for {@code ttl}, and announces it.
     */
    boolean release(String key, String token, Duration ttl, Duration timeout);

    /** Resets the time-to-live of {@code key} only if it holds {@code token}; {@code true} when extended. */
    boolean extend(String key, String token, Duration ttl, Duration timeout);

    /** Whether {@code key} holds {@code token} now. */
    boolean isHeld(String key, String token, Duration timeout);

    /**
     * The value and remaining time-to-live of {@code key}, read atomically, or {@code null} when the key does not
     * exist. For operators (who holds this lock?), not for the lock path.
     */
    @Nullable
    StoredLock describe(String key, Duration timeout);

    /** A lock as stored: its full value (owner token and holder description) and its remaining time-to-live. */
    record StoredLock(String value, Duration ttl) {}

    /** A short name for logs and metrics, e.g. {@code redis}. */
    String name();

    /**
     * Like {@link #tryAcquire}, but a store with a queue queues {@code token} behind the holder when the lock is held
     * ({@link AttemptOutcome.Queued}), once per acquisition ({@code queued} tells that an earlier attempt queued it), and
     * its {@link #release} then hands the lock to the queue's first token and announces it ({@link #handOffs()}).
     * Stores without a queue take the lock or report it held.
     */
    default AttemptOutcome<Boolean> acquireOrQueue(
            String key, String token, Duration ttl, Duration timeout, boolean queued) throws InterruptedException {
        return tryAcquire(key, token, ttl, timeout) ? AttemptOutcome.acquired(Boolean.TRUE) : AttemptOutcome.held(null);
    }

    /**
     * Takes a queued token that gives up out of the queue, releasing the lock (handing it on for {@code ttl}) if it was
     * handed to it meanwhile. Sent without waiting for the reply; never throws.
     */
    default void leaveQueue(String key, String token, Duration ttl, Duration timeout) {}

    /** The announcements of this store's hand-offs, or {@code null} when it has no queue (its waiters poll). */
    default @Nullable HandOffs handOffs() {
        return null;
    }
}
