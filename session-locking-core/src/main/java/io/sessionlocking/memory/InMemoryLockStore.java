package io.sessionlocking.memory;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.LockStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LockStore} in this JVM's memory, with the same contract as the Redis stores: atomic acquire, owner-checked
 * release and extend, and expiry by time-to-live. For single-node applications and fast tests; it locks nothing across
 * JVMs. Each {@link io.sessionlocking.core.SpinLockProvider} on the store stands for a node: the waiter counts its
 * attempts report are kept per lock and summed for the others, as the Redis stores do.
 *
 * <p>Invariant: every read-compare-write of a key runs inside one {@link ConcurrentHashMap#compute} call, which is
 * atomic per key, so two acquirers can never both see the key free. An expired entry counts as absent; expired
 * entries (and waiter counts) of keys nobody touches again are swept every {@value #SWEEP_EVERY} acquisitions, so the
 * maps stay bounded by the locks actually held and waited for. Calls never block beyond the map's per-key synchronisation, so timeouts are not needed.
 */
public final class InMemoryLockStore implements LockStore {

    static final int SWEEP_EVERY = 1024;

    private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();
    /** Per lock key, the waiter counts of the "nodes" (providers) waiting for it; changed only inside compute. */
    private final ConcurrentHashMap<String, Map<String, Report>> reports = new ConcurrentHashMap<>();

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

    /** One waiting node's count of waiters for a lock, as its token last reported it. */
    private record Report(int count, long expiresAtNanos) {}

    @Override
    public AttemptOutcome<Boolean> acquire(AttemptRequest request) {
        if (acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            sweepExpired();
        }
        String key = request.key();
        String token = request.ownerValue();
        long now = nanoTime.getAsLong();
        Entry mine = new Entry(token, now + request.ttl().toNanos());
        Entry current = locks.compute(key, (k, held) -> isLive(held, now) ? held : mine);
        if (current == mine || current.token().equals(token)) {
            dropReport(key, token);
            return AttemptOutcome.acquired(Boolean.TRUE);
        }
        StoredLock holder = new StoredLock(current.token(), Duration.ofNanos(current.expiresAtNanos() - now));
        return AttemptOutcome.held(holder, report(request, now));
    }

    /** Records the request's waiter count under its token and sums the other tokens' unexpired ones. */
    private int report(AttemptRequest request, long now) {
        int[] elsewhere = {0};
        reports.compute(request.key(), (k, counts) -> {
            Map<String, Report> kept = counts != null ? counts : new HashMap<>();
            kept.values().removeIf(report -> report.expiresAtNanos() - now <= 0);
            for (Map.Entry<String, Report> other : kept.entrySet()) {
                if (!other.getKey().equals(request.ownerValue())) {
                    elsewhere[0] += other.getValue().count();
                }
            }
            kept.put(
                    request.ownerValue(),
                    new Report(request.nodeWaiters(), now + request.reportTtl().toNanos()));
            return kept;
        });
        return elsewhere[0];
    }

    private void dropReport(String key, String token) {
        reports.computeIfPresent(key, (k, counts) -> {
            counts.remove(token);
            return counts.isEmpty() ? null : counts;
        });
    }

    /** Drops the token's waiter count; there is no queue to leave. */
    @Override
    public void leave(String key, String token, Duration ttl, Duration timeout) {
        dropReport(key, token);
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
    public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
        return CompletableFuture.completedFuture(extendNow(key, token, ttl));
    }

    private boolean extendNow(String key, String token, Duration ttl) {
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
        reports.forEach((key, counts) -> reports.computeIfPresent(key, (k, kept) -> {
            kept.values().removeIf(report -> report.expiresAtNanos() - now <= 0);
            return kept.isEmpty() ? null : kept;
        }));
    }

    private static boolean isLive(@Nullable Entry entry, long now) {
        return entry != null && entry.expiresAtNanos() - now > 0;
    }
}
