package io.sessionlocking.spring.cache;

import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationListener;
import io.sessionlocking.cache.redis.LettuceEntryStores;
import io.sessionlocking.spring.actuate.CacheRegenerationStatistics;
import io.sessionlocking.spring.autoconfigure.SessionLockingProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Stampede-safe regeneration for Spring Boot's Redis caches, with {@code session-locking.cache.enabled=true}: Boot's
 * {@code RedisCacheManager} is built on a {@link RegeneratingRedisCacheWriter}, so {@code @Cacheable(sync = true)}
 * runs a missing entry's method once across all nodes and serves stale copies meanwhile. Needs a Lettuce {@link
 * RedisConnectionFactory} (Boot's default): the guard opens a command connection and a pub/sub connection of its own
 * on the application's Lettuce client. Independent of the session lock: it needs no Spring Session.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass({RedisCacheWriter.class, LettuceConnectionFactory.class, io.lettuce.core.RedisClient.class})
@ConditionalOnProperty(prefix = CacheRegenerationProperties.PREFIX, name = "enabled", havingValue = "true")
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(SessionLockingProperties.class)
public final class CacheRegenerationAutoConfiguration {

    /** Connections of their own on the application's client, closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(EntryStore.class)
    LettuceEntryStores.Managed cacheEntryStoreConnection(RedisConnectionFactory connectionFactory) {
        if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
            throw new IllegalStateException("session-locking.cache.enabled=true runs on Lettuce, but the application's "
                    + "RedisConnectionFactory is a "
                    + connectionFactory.getClass().getName()
                    + "; use Lettuce (Spring Boot's default) or turn session-locking.cache.enabled off");
        }
        return LettuceEntryStores.connectWith(lettuce.getRequiredNativeClient(), LettuceEntryStores.DEFAULT_CHANNEL);
    }

    @Bean
    @ConditionalOnMissingBean
    EntryStore cacheEntryStore(LettuceEntryStores.Managed cacheEntryStoreConnection) {
        return cacheEntryStoreConnection.store();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RegenerationGuards cacheRegenerationGuards(EntryStore store, ObjectProvider<RegenerationListener> listeners) {
        RegenerationGuards.Builder builder = RegenerationGuards.builder(store);
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    CacheRegeneration cacheRegeneration(RegenerationGuards guards, SessionLockingProperties properties) {
        CacheRegenerationProperties cache = properties.getCache();
        return new CacheRegeneration(guards, cache.toSettings(), cache::guards);
    }

    @Bean
    @ConditionalOnMissingBean
    CacheRegenerationStatistics cacheRegenerationStatistics() {
        return new CacheRegenerationStatistics();
    }

    /** Boot's RedisCacheManager on the regenerating writer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisCacheManagerBuilderCustomizer.class)
    static class CacheManagerConfiguration {

        @Bean
        RedisCacheManagerBuilderCustomizer regeneratingCacheWriterCustomizer(
                ObjectProvider<CacheRegeneration> regeneration, RedisConnectionFactory connectionFactory) {
            return builder -> builder.cacheWriter(
                    regeneration.getObject().writer(RedisCacheWriter.nonLockingRedisCacheWriter(connectionFactory)));
        }
    }
}
