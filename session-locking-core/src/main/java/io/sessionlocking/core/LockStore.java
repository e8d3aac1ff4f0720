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

    /** Deletes {@code key} only if it holds {@code token}; {@code true} when deleted. */
    boolean release(String key, String token, Duration timeout);

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
}
