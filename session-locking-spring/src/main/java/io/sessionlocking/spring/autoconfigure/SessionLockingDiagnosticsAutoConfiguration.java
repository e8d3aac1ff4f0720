package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.actuate.MaxmemoryPolicy;
import io.sessionlocking.spring.actuate.RedisMaxmemoryPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.SessionRepository;

/**
 * What an operator needs to see at start-up: one summary line of the session locking in effect, and a warning when
 * the Redis that keeps the sessions may evict them (its {@code maxmemory-policy}, also shown in the health details).
 */
@AutoConfiguration(
        after = SessionLockingAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBean(SessionLockingProperties.class)
public final class SessionLockingDiagnosticsAutoConfiguration {

    @Bean
    StartupSummary sessionLockingStartupSummary(
            SessionLockingProperties properties,
            ObjectProvider<SessionLockProvider> provider,
            ObjectProvider<LockStore> store,
            ObjectProvider<SessionRepository<?>> repositories) {
        return new StartupSummary(properties, provider, store, repositories);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionFactory.class)
    @ConditionalOnBean(RedisConnectionFactory.class)
    static class RedisConfiguration {

        @Bean
        @ConditionalOnMissingBean(MaxmemoryPolicy.class)
        RedisMaxmemoryPolicy sessionRedisMaxmemoryPolicy(RedisConnectionFactory connectionFactory) {
            return new RedisMaxmemoryPolicy(connectionFactory);
        }

        @Bean
        EvictionPolicyWarning sessionRedisEvictionPolicyWarning(MaxmemoryPolicy policy) {
            return new EvictionPolicyWarning(policy);
        }
    }
}
