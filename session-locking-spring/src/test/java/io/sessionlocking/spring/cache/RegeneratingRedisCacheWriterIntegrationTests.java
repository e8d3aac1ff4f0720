package io.sessionlocking.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.redis.LettuceEntryStores;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cache.Cache;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What a guarded {@code RedisCache} keeps of Spring Data Redis's behaviour, on a real Redis, with a cache manager
 * built by hand on the writer (the way an application with its own {@code RedisCacheManager} would).
 */
class RegeneratingRedisCacheWriterIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private LettuceConnectionFactory connectionFactory;
    private LettuceEntryStores.Managed store;
    private RegenerationGuards guards;
    private RedisCacheManager manager;

    @BeforeEach
    void buildCacheManager() {
        redis.node().flushAll();
        connectionFactory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", redis.node().port()));
        connectionFactory.afterPropertiesSet();
        connectionFactory.start();
        store = LettuceEntryStores.connect(RedisURI.create(redis.uri()));
        guards = RegenerationGuards.builder(store.store()).build();
        RegenerationSettings settings = RegenerationSettings.builder()
                .staleIfError(Duration.ofSeconds(30))
                .build();
        CacheRegeneration regeneration = new CacheRegeneration(guards, settings, "reports"::equals);
        manager = RedisCacheManager.builder(
                        regeneration.writer(RedisCacheWriter.nonLockingRedisCacheWriter(connectionFactory)))
                .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofMinutes(10)))
                .enableStatistics()
                .build();
        manager.afterPropertiesSet();
    }

    @AfterEach
    void close() {
        guards.close();
        store.close();
        connectionFactory.destroy();
    }

    @Test
    void aGuardedEntryIsAHashUnderRedisCachesOwnKeyWithTheCachesTtl() {
        Cache reports = manager.getCache("reports");

        assertThat(reports.get("daily", () -> "report")).isEqualTo("report");

        RedisNode node = redis.node();
        assertThat(node.command("TYPE", "reports::daily")).isEqualTo("hash");
        // Ten minutes fresh plus the 30 s stale-if-error window.
        assertThat(Long.parseLong(node.command("PTTL", "reports::daily"))).isBetween(620_000L, 630_000L);
        assertThat(reports.get("daily").get()).isEqualTo("report");
    }

    @Test
    void aCacheThatIsNotGuardedStaysAsSpringDataRedisWritesIt() {
        Cache prices = manager.getCache("prices");

        prices.put("tea", "3.50");

        // Spring Data Redis 4 writes asynchronously by default; the guard's own writes are immediate.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "string".equals(redis.node().command("TYPE", "prices::tea")));
        assertThat(prices.get("tea").get()).isEqualTo("3.50");
    }

    @Test
    void putEvictAndClearWorkOnGuardedEntries() {
        Cache reports = manager.getCache("reports");
        reports.put("daily", "d");
        reports.put("weekly", "w");
        reports.put("monthly", "m");

        assertThat(reports.get("daily", String.class)).isEqualTo("d");
        assertThat(reports.evictIfPresent("daily")).isTrue();
        assertThat(reports.get("daily")).isNull();
        assertThat(reports.putIfAbsent("weekly", "other").get()).isEqualTo("w");
        // evict and clear are Spring Data Redis's own, deferred by default; they delete hashes like any key.
        reports.evict("monthly");
        await().atMost(Duration.ofSeconds(10)).until(() -> reports.get("monthly") == null);
        assertThat(reports.invalidate()).isTrue();
        assertThat(reports.get("weekly")).isNull();
        reports.put("daily", "d");
        reports.clear();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "0".equals(redis.node().command("DBSIZE")));
    }

    @Test
    void nullValuesAreCachedAsSpringDataRedisCachesThem() {
        Cache reports = manager.getCache("reports");
        int[] loads = {0};

        java.util.concurrent.Callable<Object> loader = () -> {
            loads[0]++;
            return null;
        };

        Object first = reports.get("missing", loader);
        Object second = reports.get("missing", loader);

        assertThat(first).isNull();
        assertThat(second).isNull();

        assertThat(loads[0]).isEqualTo(1);
        assertThat(reports.get("missing")).isNotNull();
        assertThat(reports.get("missing").get()).isNull();
    }

    @Test
    void statisticsCountGuardedHitsMissesAndPuts() {
        RedisCache reports = (RedisCache) manager.getCache("reports");

        reports.get("daily", () -> "report");
        reports.get("daily", () -> "report");
        reports.get("weekly");

        var statistics = reports.getStatistics();
        assertThat(statistics.getHits()).isEqualTo(1);
        assertThat(statistics.getMisses()).isEqualTo(2);
        assertThat(statistics.getPuts()).isEqualTo(1);
    }

    @Test
    void asyncRetrievalReadsGuardedEntries() throws Exception {
        RedisCache reports = (RedisCache) manager.getCache("reports");
        reports.put("daily", Map.of("total", 42));

        assertThat(reports.retrieve("daily").get(10, TimeUnit.SECONDS).get()).isEqualTo(Map.of("total", 42));
        assertThat(reports.retrieve("weekly").get(10, TimeUnit.SECONDS)).isNull();
    }
}
