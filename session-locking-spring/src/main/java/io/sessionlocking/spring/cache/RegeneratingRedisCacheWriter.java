package io.sessionlocking.spring.cache;

import io.sessionlocking.cache.RegenerationGuard;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.cache.CacheStatistics;
import org.springframework.data.redis.cache.CacheStatisticsCollector;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * A {@link RedisCacheWriter} that makes {@code RedisCache.get(key, valueLoader)} (what {@code @Cacheable(sync =
 * true)} calls) single-flight per key across all nodes, with stale-while-revalidate, through the cache's {@link
 * RegenerationGuard}. Decorating the writer, not the {@code Cache}, keeps everything else of Spring Data Redis as it
 * is: the {@code RedisCacheManager} bean and its {@code RedisCache}s, key conversion and prefixes, value
 * serialization and null handling, TTL functions, {@code @CacheEvict}, {@code clear()} and the cache statistics Boot
 * turns into metrics.
 *
 * <p>For a guarded cache: reads return fresh values only (a stale one is a miss to a plain {@code get}, so the TTL
 * still means what it says to callers without a loader); {@code put}, {@code putIfAbsent} and the async {@code
 * retrieve}/{@code store} use the entry format of the guard (a hash); evictions and clears go to {@code delegate},
 * whose {@code DEL} removes a hash like any key. Time-to-idle is not applied to guarded caches. Caches that are not
 * guarded go to {@code delegate} entirely.
 */
public final class RegeneratingRedisCacheWriter implements RedisCacheWriter {

    private final RedisCacheWriter delegate;
    private final CacheRegeneration regeneration;
    private final CacheStatisticsCollector statistics;

    RegeneratingRedisCacheWriter(RedisCacheWriter delegate, CacheRegeneration regeneration) {
        this(delegate, regeneration, CacheStatisticsCollector.none());
    }

    private RegeneratingRedisCacheWriter(
            RedisCacheWriter delegate, CacheRegeneration regeneration, CacheStatisticsCollector statistics) {
        this.delegate = delegate;
        this.regeneration = regeneration;
        this.statistics = statistics;
    }

    @Override
    public byte @Nullable [] get(String name, byte[] key) {
        RegenerationGuard<byte[]> guard = regeneration.guard(name);
        if (guard == null) {
            return delegate.get(name, key);
        }
        return counted(name, guard.getIfFresh(key));
    }

    @Override
    public byte @Nullable [] get(String name, byte[] key, @Nullable Duration ttl) {
        RegenerationGuard<byte[]> guard = regeneration.guard(name);
        if (guard == null) {
            return delegate.get(name, key, ttl);
        }
        return counted(name, guard.getIfFresh(key));
    }

    @Override
    public byte[] get(
            String name, byte[] key, Supplier<byte[]> valueLoader, @Nullable Duration ttl, boolean timeToIdleEnabled) {
        RegenerationGuard<byte[]> guard = regeneration.guard(name);
        if (guard == null) {
            return delegate.get(name, key, valueLoader, ttl, timeToIdleEnabled);
        }
        statistics.incGets(name);
        boolean[] loaded = {false};
        byte[] value = guard.get(key, expiry(ttl), () -> {
            loaded[0] = true;
            return valueLoader.get();
        });
        if (loaded[0]) {
            statistics.incMisses(name);
            statistics.incPuts(name);
        } else {
            statistics.incHits(name);
        }
        return value;
    }

    @Override
    public boolean supportsAsyncRetrieve() {
        return delegate.supportsAsyncRetrieve();
    }

    @Override
    public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
        RegenerationGuard<byte[]> guard = regeneration.guard(name);
        if (guard == null) {
            return delegate.retrieve(name, key, ttl);
        }
        // The guard's calls are bounded by its command timeout; they run off the caller's thread.
        return CompletableFuture.supplyAsync(() -> counted(name, guard.getIfFresh(key)));
    }

    @Override
    public void put(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
        RegenerationGuard<byte[]> guard = regeneration.guard(name);
        if (guard == null) {
            delegate.put(name, key, value, ttl);
            return;
        }
        guard.put(key, value, expiry(ttl));
        statistics.incPuts(name);
    }

    @Override
    public CompletableFuture<Void> store(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
        if (regeneration.guard(name) == null) {
            return delegate.store(name, key, value, ttl);
        }
        return CompletableFuture.runAsync(() -> put(name, key, value, ttl));
    }

    @Override
    public byte @Nullable [] putIfAbsent(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
        RegenerationGuard<byte[]> guard = regeneration.guard(name);
        if (guard == null) {
            return delegate.putIfAbsent(name, key, value, ttl);
        }
        byte[] present = guard.putIfAbsent(key, value, expiry(ttl));
        if (present == null) {
            statistics.incPuts(name);
        }
        return present;
    }

    @Override
    public void remove(String name, byte[] key) {
        delegate.remove(name, key);
    }

    @Override
    public void evict(String name, byte[] key) {
        delegate.evict(name, key);
    }

    @Override
    public boolean evictIfPresent(String name, byte[] key) {
        return delegate.evictIfPresent(name, key);
    }

    @Override
    public void clean(String name, byte[] pattern) {
        delegate.clean(name, pattern);
    }

    @Override
    public void clear(String name, byte[] pattern) {
        delegate.clear(name, pattern);
    }

    @Override
    public boolean invalidate(String name, byte[] pattern) {
        return delegate.invalidate(name, pattern);
    }

    @Override
    public <T extends @Nullable Object> T execute(Function<RedisConnection, T> callback) {
        return delegate.execute(callback);
    }

    @Override
    public void clearStatistics(String name) {
        statistics.reset(name);
        delegate.clearStatistics(name);
    }

    @Override
    public CacheStatistics getCacheStatistics(String cacheName) {
        return statistics.getCacheStatistics(cacheName);
    }

    /** The collector is shared with the delegate, so its evictions and clears count in the same statistics. */
    @Override
    public RedisCacheWriter withStatisticsCollector(CacheStatisticsCollector cacheStatisticsCollector) {
        return new RegeneratingRedisCacheWriter(
                delegate.withStatisticsCollector(cacheStatisticsCollector), regeneration, cacheStatisticsCollector);
    }

    private byte @Nullable [] counted(String name, byte @Nullable [] value) {
        statistics.incGets(name);
        if (value != null) {
            statistics.incHits(name);
        } else {
            statistics.incMisses(name);
        }
        return value;
    }

    /** A RedisCacheWriter TTL (null, zero or negative: no expiry) as the guard's (zero: no expiry). */
    private static Duration expiry(@Nullable Duration ttl) {
        return ttl == null || ttl.isNegative() ? Duration.ZERO : ttl;
    }
}
