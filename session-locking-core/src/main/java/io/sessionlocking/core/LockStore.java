package io.sessionlocking.core;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The backend SPI: a few atomic operations on one lock key. A backend implements only these; waiting, timeouts, tokens
 * and events are the engine's ({@link SpinLockProvider}), so every backend behaves the same.
 *
 * <p>Each operation must be atomic in the backend (one command or one script): two callers racing on a free key can
 * never both see {@link #acquire} succeed. Each call returns or throws within its {@code timeout} ({@link #extend}:
 * its result completes within it); a backend failure or time-out is a {@link LockStoreException}. Implementations are
 * thread-safe.
 */
public interface LockStore {

    /**
     * One attempt at the lock at the request's key for its owner value, with the request's time-to-live: takes it if it
     * is free (or already this owner value's, e.g. a command the client resent after a lost reply), else reports it
     * held, or queued behind its holder when the request asks to queue and this store has a queue (its {@link #release}
     * then hands the lock to the queue's first owner value and announces it, see {@link #handOffs()}; stores without a
     * queue answer {@link AttemptOutcome.Held}). On a held lock it records the request's waiter count as the count of
     * the owner value's node and answers with the other nodes' counts (see {@link AttemptRequest}); taking the lock
     * drops the owner value's count.
     *
     * <p>When the outcome is unknown (the call timed out or was interrupted after the command was sent) the
     * implementation must arrange, best-effort, that the owner value keeps neither the lock, nor a queue entry, nor a
     * count, e.g. by sending a {@link #leave} behind it.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting for the backend
     */
    AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException;

    /**
     * Releases the lock at {@code key} only if {@code token} holds it; {@code true} when released. A store with a queue
     * hands the lock to the first queued token, for {@code ttl}, and announces it.
     */
    boolean release(String key, String token, Duration ttl, Duration timeout);

    /**
     * Resets the time-to-live of {@code key} only if it holds {@code token}, without waiting for the backend: the
     * result completes with {@code true} when extended, {@code false} when the key is absent or holds another token,
     * and exceptionally with a {@link LockStoreException} when the backend failed or did not answer within {@code
     * timeout} (the extension may or may not have happened). The renewer sends the extensions of many locks at once
     * this way, so a slow backend delays none of them behind another: each command goes to its own key's server (its
     * own shard on a Cluster). Never throws and never blocks the caller; the result may complete on a client I/O
     * thread, so its callbacks must not block.
     */
    CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout);

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
     * An acquisition gives up after an attempt found the lock held: takes {@code token} out of the queue and drops its
     * waiter count, releasing the lock (handing it on for {@code ttl}) if it was handed to it meanwhile. Sent without
     * waiting for the reply; never throws.
     */
    void leave(String key, String token, Duration ttl, Duration timeout);

    /** The announcements of this store's hand-offs, or {@code null} when it has no queue (its waiters poll). */
    default @Nullable HandOffs handOffs() {
        return null;
    }
}
