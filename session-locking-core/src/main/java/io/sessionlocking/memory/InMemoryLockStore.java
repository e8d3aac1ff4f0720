package io.sessionlocking.memory;

import io.sessionlocking.core.LockStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LockStore} in this JVM's memory, with the same contract as the Redis stores: atomic acquire, owner-checked
 * release and extend, and expiry by time-to-live. For single-node applications and fast tests; it locks nothing across
 * JVMs.
 *
 * <p>Invariant: every read-compare-write of a key runs inside one {@link ConcurrentHashMap#compute} call, which is
 * atomic per key, so two acquirers can never both see the key free. An expired entry counts as absent; expired
 * entries of keys nobody touches again are swept every {@value #SWEEP_EVERY} acquisitions, so the map stays bounded
 * by the locks actually held. Calls never block beyond the map's per-key synchronisation, so timeouts are not needed.
 */
public final class InMemoryLockStore implements LockStore {

    static final int SWEEP_EVERY = 1024;

    private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();
    private final AtomicInteger acquisitions = new AtomicInteger();
    private final LongSupplier nanoTime;

    public InMemoryLockStore() {
        this(System::nanoTime);
    }

    /** A store on the given monotonic clock (nanoseconds), for tests that move time. */
    public InMemoryLockStore(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    private record Entry(String token, long expiresAtNanos) {}

    @Override
    public boolean tryAcquire(String key, String token, Duration ttl, Duration timeout) {
        if (acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            sweepExpired();
        }
        long now = nanoTime.getAsLong();
        Entry mine = new Entry(token, now + ttl.toNanos());
        return locks.compute(key, (k, current) -> isLive(current, now) ? current : mine) == mine;
    }

    @Override
    public boolean release(String key, String token, Duration ttl, Duration timeout) {
        long now = nanoTime.getAsLong();
        boolean[] deleted = {false};
        locks.computeIfPresent(key, (k, current) -> {
            if (!isLive(current, now)) {
                return null;
            }
            if (current.token().equals(token)) {
                deleted[0] = true;
                return null;
            }
            return current;
        });
        return deleted[0];
    }

    @Override
    public boolean extend(String key, String token, Duration ttl, Duration timeout) {
        long now = nanoTime.getAsLong();
        boolean[] extended = {false};
        locks.computeIfPresent(key, (k, current) -> {
            if (!isLive(current, now)) {
                return null;
            }
            if (current.token().equals(token)) {
                extended[0] = true;
                return new Entry(token, now + ttl.toNanos());
            }
            return current;
        });
        return extended[0];
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        Entry current = locks.get(key);
        return isLive(current, nanoTime.getAsLong()) && current.token().equals(token);
    }

    @Override
    public @Nullable StoredLock describe(String key, Duration timeout) {
        Entry current = locks.get(key);
        long now = nanoTime.getAsLong();
        return isLive(current, now)
                ? new StoredLock(current.token(), Duration.ofNanos(current.expiresAtNanos() - now))
                : null;
    }

    @Override
    public String name() {
        return "memory";
    }

    /** Keys held now (expired ones excluded). */
    public int size() {
        long now = nanoTime.getAsLong();
        return (int) locks.values().stream().filter(e -> isLive(e, now)).count();
    }

    private void sweepExpired() {
        long now = nanoTime.getAsLong();
        locks.forEach((key, entry) -> {
            if (!isLive(entry, now)) {
                locks.remove(key, entry);
            }
        });
    }

    private static boolean isLive(@Nullable Entry entry, long now) {
        return entry != null && entry.expiresAtNanos() - now > 0;
    }
}
