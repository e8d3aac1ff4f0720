package io.sessionlocking.cache;

import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The backend SPI of {@link RegenerationGuard}: a handful of atomic operations on one cache entry. An entry holds the
 * value and its metadata (fresh-until, stale-until, the measured regeneration time) <em>and</em> its regeneration
 * lock (owner token, lock-until, generation), all under one key, so every operation is one single-key command or
 * script: atomic, and valid on Redis Cluster without hash tags.
 *
 * <p>Times are the backend's own clock (Redis {@code TIME}); callers only ever see remaining durations, so the
 * clocks of the application nodes never have to agree. Each call returns or throws {@link LockStoreException} within
 * its {@code timeout}. Implementations are thread-safe.
 */
public interface EntryStore {

    /**
     * Reads the entry and, in the same atomic step, takes its regeneration lock for {@code request.token()} when the
     * entry needs regenerating and nobody holds the lock (see {@link State}). Taking the lock increments the entry's
     * generation. When the reply is {@link State#WAIT} the entry is marked as awaited, so that the fill, failure or
     * release that ends the regeneration notifies {@linkplain #watch watchers}.
     *
     * <p>When the outcome is unknown (the call timed out or was interrupted after the command was sent) the
     * implementation must arrange, best effort, that the token does not keep the lock.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting for the backend
     */
    Read read(byte[] key, ReadRequest request, Duration timeout) throws InterruptedException;

    /**
     * Stores a regenerated value, only if {@code token} still holds the entry's lock; releases the lock and notifies
     * watchers. {@code false}: the lock was lost (expired, or superseded by a put or an evict) and nothing was stored.
     */
    boolean fill(byte[] key, String token, byte[] value, Expiry expiry, Duration delta, Duration timeout);

    /** Stores a value whatever the entry holds, superseding any lock (its holder's fill will fail); notifies watchers. */
    void put(byte[] key, byte[] value, Expiry expiry, Duration timeout);

    /** Stores a value unless the entry has a fresh one, which is returned instead; {@code null} when stored. */
    byte @Nullable [] putIfAbsent(byte[] key, byte[] value, Expiry expiry, Duration timeout);

    /**
     * Releases the lock of a regeneration whose loader failed and records the failed generation, so that the callers
     * that waited for it give up instead of retrying; notifies watchers. {@code false}: the lock was not held.
     */
    boolean fail(byte[] key, String token, Duration timeout);

    /** Releases the lock without a value (the regeneration was abandoned); notifies watchers, one of which retries. */
    boolean release(byte[] key, String token, Duration timeout);

    /** Resets the lock's time-to-live, only if {@code token} holds it; {@code false} when it does not. */
    boolean extend(byte[] key, String token, Duration lockTtl, Duration timeout);

    /**
     * Marks a stored value stale now, keeping it: readers regenerate it while the stale windows of {@code expiry} run
     * from now. {@code false} when there is no value.
     */
    boolean markStale(byte[] key, Expiry expiry, Duration timeout);

    /** Deletes the entry, its value and its lock; a running regeneration's fill then fails. */
    boolean evict(byte[] key, Duration timeout);

    /**
     * Calls {@code onChange} (on a backend thread; it must not block) when an awaited entry is filled, failed or
     * released, until the returned handle is closed. Best effort: a notification may be late or lost, so watchers
     * also poll.
     */
    Watch watch(byte[] key, Runnable onChange);

    /** A registration of {@link #watch}; closing it is idempotent and never throws. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** A short name for logs and metrics, e.g. {@code redis}. */
    String name();

    /** What a {@link #read} found, and whether it took the lock. */
    enum State {
        /** A fresh value. */
        FRESH,
        /** A fresh value, and the lock: the XFetch draw said refresh early. */
        REFRESH,
        /** A stale value within stale-while-revalidate; someone else regenerates it. */
        STALE,
        /** A stale value within stale-while-revalidate, and the lock: the caller regenerates it. */
        REVALIDATE,
        /** No servable value, and the lock: the caller loads it. {@link Read#value()} is a stale-if-error copy, if any. */
        LOAD,
        /** No servable value; someone else holds the lock. {@link Read#value()} is a stale-if-error copy, if any. */
        WAIT,
        /** No servable value, and the awaited generation failed. {@link Read#value()} is a stale-if-error copy, if any. */
        FAILED,
        /** No servable value, and the request did not allow taking the lock. */
        MISS
    }

    /**
     * A read.
     *
     * @param token the owner token to take the lock with
     * @param lockTtl time-to-live of the lock if taken
     * @param earlyFactor XFetch's {@code beta x -ln(rand)} (0: never refresh early): a fresh value is refreshed early
     *     when {@code now + delta x earlyFactor >= fresh-until}
     * @param awaitedGeneration the generation a waiter waits for, or 0: reply {@link State#FAILED} if it failed
     * @param mayLock whether the read may take the lock; {@code false} only reads
     */
    record ReadRequest(String token, Duration lockTtl, double earlyFactor, long awaitedGeneration, boolean mayLock) {}

    /**
     * A read's outcome.
     *
     * @param value the stored value (see {@link State} for which one), or {@code null}
     * @param delta the measured time of the regeneration that stored the value (zero when unknown)
     * @param generation the entry's lock generation: the one taken (lock states) or awaited ({@link State#WAIT})
     */
    record Read(State state, byte @Nullable [] value, Duration delta, long generation) {}

    /**
     * How long a stored value lives: fresh for {@code ttl} (zero: forever), then served stale at once for {@code
     * staleWhileRevalidate} and instead of an error for {@code staleIfError}; the entry is deleted after the longer.
     */
    record Expiry(Duration ttl, Duration staleWhileRevalidate, Duration staleIfError) {}
}
