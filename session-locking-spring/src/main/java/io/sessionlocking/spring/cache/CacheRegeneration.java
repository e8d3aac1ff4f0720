package io.sessionlocking.spring.cache;

import io.sessionlocking.cache.InFlightRegeneration;
import io.sessionlocking.cache.RegenerationGuard;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.ValueCodec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * The guards of an application's Redis caches, one per cache name, made on first use; the bean behind {@link
 * RegeneratingRedisCacheWriter}, the metrics and the {@code cacheregenerations} endpoint. Thread-safe.
 *
 * <p>For a {@code RedisCacheManager} the application builds itself, wrap its writer: {@code
 * RedisCacheManager.builder(cacheRegeneration.writer(RedisCacheWriter.nonLockingRedisCacheWriter(factory)))}.
 */
public final class CacheRegeneration {

    private final RegenerationGuards guards;
    private final RegenerationSettings settings;
    private final Predicate<String> guarded;
    private final Map<String, RegenerationGuard<byte[]>> byName = new ConcurrentHashMap<>();

    public CacheRegeneration(RegenerationGuards guards, RegenerationSettings settings, Predicate<String> guarded) {
        this.guards = guards;
        this.settings = settings;
        this.guarded = guarded;
    }

    /** The guard of the cache {@code name}, or {@code null} when that cache is not guarded. */
    public @Nullable RegenerationGuard<byte[]> guard(String name) {
        if (!guarded.test(name)) {
            return null;
        }
        return byName.computeIfAbsent(name, n -> guards.guard(n, settings, ValueCodec.bytes()));
    }

    /** A writer that guards the caches of this application and passes everything else to {@code delegate}. */
    public RegeneratingRedisCacheWriter writer(RedisCacheWriter delegate) {
        return new RegeneratingRedisCacheWriter(delegate, this);
    }

    public RegenerationSettings settings() {
        return settings;
    }

    /** The names of the caches guarded so far. */
    public Set<String> cacheNames() {
        return Set.copyOf(byName.keySet());
    }

    /** Callers waiting for another caller's regeneration on this node now, by cache name. */
    public Map<String, Integer> waiting() {
        Map<String, Integer> waiting = new TreeMap<>();
        byName.forEach((name, guard) -> waiting.put(name, guard.waitingCount()));
        return waiting;
    }

    /** Callers of the cache {@code name} waiting for another caller's regeneration on this node now. */
    public int waitingCount(String name) {
        RegenerationGuard<byte[]> guard = byName.get(name);
        return guard != null ? guard.waitingCount() : 0;
    }

    /** Loaders of the cache {@code name} running on this node now. */
    public int inFlightCount(String name) {
        return (int) guards.inFlight().stream()
                .filter(running -> running.cache().equals(name))
                .count();
    }

    /** The loaders running on this node now, longest-running first. */
    public List<InFlightRegeneration> inFlight() {
        return guards.inFlight();
    }

    /** A short name of the store, e.g. {@code redis}. */
    public String backend() {
        return guards.store().name();
    }
}
