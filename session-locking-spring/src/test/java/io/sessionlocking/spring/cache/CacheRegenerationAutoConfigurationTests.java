package io.sessionlocking.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.memory.InMemoryEntryStore;
import io.sessionlocking.cache.redis.LettuceEntryStores;
import io.sessionlocking.spring.actuate.CacheRegenerationsEndpoint;
import io.sessionlocking.spring.metrics.CacheRegenerationMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

/**
 * Every condition of the cache auto-configurations. An in-memory entry store stands in for Redis, so nothing here
 * connects: Spring Data Redis's connection factory and cache manager connect on first use only.
 */
class CacheRegenerationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataRedisAutoConfiguration.class,
                    CacheRegenerationAutoConfiguration.class,
                    CacheRegenerationMetricsAutoConfiguration.class,
                    CacheRegenerationEndpointAutoConfiguration.class,
                    CacheAutoConfiguration.class))
            .withUserConfiguration(Caching.class)
            .withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=reports,prices");

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {}

    @Configuration(proxyBeanMethods = false)
    static class MemoryStore {
        @Bean
        EntryStore entryStore() {
            return new InMemoryEntryStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Metrics {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void offByDefault() {
        runner.withUserConfiguration(MemoryStore.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CacheRegeneration.class);
            assertThat(writerOf(context.getBean(CacheManager.class), "reports"))
                    .isNotInstanceOf(RegeneratingRedisCacheWriter.class);
        });
    }

    @Test
    void onItBuildsBootsRedisCacheManagerOnTheRegeneratingWriter() {
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues("session-locking.cache.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(RegenerationGuards.class);
                    assertThat(context).doesNotHaveBean(LettuceEntryStores.Managed.class);
                    assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisCacheManager.class);
                    assertThat(writerOf(context.getBean(CacheManager.class), "reports"))
                            .isInstanceOf(RegeneratingRedisCacheWriter.class);
                    assertThat(context.getBean(CacheRegeneration.class).backend())
                            .isEqualTo("memory");
                });
    }

    @Test
    void cacheNamesChooseTheGuardedCaches() {
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues("session-locking.cache.enabled=true", "session-locking.cache.cache-names=reports")
                .run(context -> {
                    CacheRegeneration regeneration = context.getBean(CacheRegeneration.class);
                    assertThat(regeneration.guard("reports")).isNotNull();
                    assertThat(regeneration.guard("prices")).isNull();
                });
    }

    @Test
    void settingsComeFromTheProperties() {
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues(
                        "session-locking.cache.enabled=true",
                        "session-locking.cache.stale-while-revalidate=30s",
                        "session-locking.cache.lock-ttl=5s",
                        "session-locking.cache.on-backend-failure=fail")
                .run(context -> {
                    var settings = context.getBean(CacheRegeneration.class).settings();
                    assertThat(settings.staleWhileRevalidate()).hasSeconds(30);
                    assertThat(settings.lockTtl()).hasSeconds(5);
                    assertThat(settings.onBackendFailure().name()).isEqualTo("FAIL");
                });
    }

    @Test
    void anOutOfRangePropertyStopsTheStartNamingIt() {
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues("session-locking.cache.enabled=true", "session-locking.cache.wait-timeout=0s")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("waitTimeout"));
    }

    @Test
    void metricsWhenThereIsAMeterRegistry() {
        runner.withUserConfiguration(MemoryStore.class, Metrics.class)
                .withPropertyValues("session-locking.cache.enabled=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(CacheRegenerationMetrics.class);
                    context.getBean(CacheRegeneration.class).guard("reports");
                    assertThat(context.getBean(MeterRegistry.class)
                                    .find(CacheRegenerationMetrics.WAITERS)
                                    .tag("cache", "reports")
                                    .gauge())
                            .isNotNull();
                });
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues("session-locking.cache.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(CacheRegenerationMetrics.class));
        runner.withUserConfiguration(MemoryStore.class, Metrics.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("session-locking.cache.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(CacheRegenerationMetrics.class));
    }

    @Test
    void theEndpointWhenExposed() {
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues(
                        "session-locking.cache.enabled=true",
                        "management.endpoints.web.exposure.include=cacheregenerations")
                .run(context -> assertThat(context).hasSingleBean(CacheRegenerationsEndpoint.class));
        runner.withUserConfiguration(MemoryStore.class)
                .withPropertyValues("session-locking.cache.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(CacheRegenerationsEndpoint.class));
    }

    @Test
    void withoutSpringDataRedisNothingHappens() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CacheRegenerationAutoConfiguration.class))
                .withPropertyValues("session-locking.cache.enabled=true")
                .withClassLoader(new FilteredClassLoader(RedisCacheManager.class.getPackageName()))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(CacheRegeneration.class);
                });
    }

    @Test
    void anotherConnectionFactoryThanLettuceStopsTheStartWithAnExplanation() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CacheRegenerationAutoConfiguration.class))
                .withBean(RedisConnectionFactory.class, NotLettuce::new)
                .withPropertyValues("session-locking.cache.enabled=true")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("runs on Lettuce")
                        .hasMessageContaining(NotLettuce.class.getName()));
    }

    private static Object writerOf(CacheManager manager, String name) {
        return ((RedisCache) manager.getCache(name)).getNativeCache();
    }

    /** A connection factory of another client; never connects. */
    static final class NotLettuce implements RedisConnectionFactory {
        @Override
        public RedisConnection getConnection() {
            throw new UnsupportedOperationException();
        }

        @Override
        public RedisClusterConnection getClusterConnection() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getConvertPipelineAndTxResults() {
            return false;
        }

        @Override
        public RedisSentinelConnection getSentinelConnection() {
            throw new UnsupportedOperationException();
        }

        @Override
        public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
            return null;
        }
    }
}
