package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.spring.redis.LockingRedisSessionRepository;
import io.sessionlocking.spring.redis.LockingRedisSessions;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.data.redis.config.annotation.SpringSessionRedisConnectionFactory;

/**
 * The fused Redis session repository ({@link LockingRedisSessionRepository}) in place of Spring Session's default
 * {@code RedisSessionRepository}, when the locking handler is on and {@code session-locking.repository} is {@code
 * fused} (the default) and Spring Session would build its default (non-indexed) Redis repository: Spring Session Data
 * Redis and a {@link RedisConnectionFactory} are there, {@code spring.session.data.redis.repository-type} is {@code
 * default}, and the application defines no {@link SessionRepository} of its own. It runs before Boot's Spring Session
 * Redis configuration, which then backs off.
 *
 * <p>It honours Spring Session's settings as Boot applies them to the repository it replaces: {@code
 * spring.session.timeout} (through Boot's {@link SessionTimeout}), {@code spring.session.data.redis.namespace}, {@code
 * flush-mode} and {@code save-mode}, the {@code springSessionDefaultRedisSerializer} bean, a connection factory
 * marked {@link SpringSessionRedisConnectionFactory}, a {@link SessionIdGenerator} bean and {@code
 * SessionRepositoryCustomizer<LockingRedisSessionRepository>} beans. The lock engine on the session hashes becomes the
 * application's {@code SessionLockProvider}; the decorator's lock backends are not created.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        beforeName = {
            "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
            "io.sessionlocking.spring.autoconfigure.SessionLockingAutoConfiguration"
        })
@ConditionalOnClass({SessionRepository.class, RedisSessionRepository.class, RedisConnectionFactory.class})
@ConditionalOnProperty(prefix = "session-locking", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnLockingHandler
@ConditionalOnProperty(prefix = "session-locking", name = "repository", havingValue = "fused", matchIfMissing = true)
@ConditionalOnProperty(
        name = "spring.session.data.redis.repository-type",
        havingValue = "default",
        matchIfMissing = true)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnMissingBean(SessionRepository.class)
@EnableConfigurationProperties({SessionLockingProperties.class, SessionDataRedisProperties.class})
@Import(SpringHttpSessionConfiguration.class)
public final class LockingRedisSessionAutoConfiguration {

    /**
     * The lock fields of the session hashes, with their hand-off announcements; a bean of its own so that the meters
     * can name it without a cycle. Closed with the context (its pub/sub connection).
     */
    @Bean
    LockStore sessionLockStore(
            @SpringSessionRedisConnectionFactory ObjectProvider<RedisConnectionFactory> sessionConnectionFactory,
            ObjectProvider<RedisConnectionFactory> connectionFactory,
            ObjectProvider<LockSettings> settings,
            SessionLockingProperties properties) {
        return LockingRedisSessions.lockStore(
                sessionConnectionFactory.getIfAvailable(connectionFactory::getObject),
                settings.getIfAvailable(properties::toLockSettings));
    }

    @Bean
    LockingRedisSessions lockingRedisSessions(
            LockStore sessionLockStore,
            @Qualifier("springSessionDefaultRedisSerializer") ObjectProvider<RedisSerializer<Object>> serializer,
            SessionDataRedisProperties redisProperties,
            SessionLockingProperties properties,
            ObjectProvider<LockSettings> settings,
            ObjectProvider<SessionLockListener> listeners,
            ResourceLoader resourceLoader) {
        String cleanupCron = redisProperties.getCleanupCron();
        if (cleanupCron != null) {
            throw new InvalidConfigurationPropertyValueException(
                    "spring.session.data.redis.cleanup-cron",
                    cleanupCron,
                    "Cron-based cleanup is only supported when spring.session.data.redis.repository-type is set to "
                            + "indexed.");
        }
        return LockingRedisSessions.create(
                sessionLockStore,
                serializer.getIfAvailable(() -> new JdkSerializationRedisSerializer(resourceLoader.getClassLoader())),
                redisProperties.getNamespace(),
                settings.getIfAvailable(properties::toLockSettings),
                SessionLockListener.composite(listeners.orderedStream().toList()));
    }

    @Bean
    SpinLockProvider sessionLockProvider(LockingRedisSessions sessions) {
        return sessions.provider();
    }

    @Bean
    LockingRedisSessionRepository sessionRepository(
            LockingRedisSessions sessions,
            SessionDataRedisProperties redisProperties,
            ObjectProvider<SessionTimeout> sessionTimeout,
            ObjectProvider<SessionIdGenerator> sessionIdGenerator,
            ObjectProvider<SessionRepositoryCustomizer<LockingRedisSessionRepository>> customizers) {
        LockingRedisSessionRepository repository = sessions.repository();
        PropertyMapper map = PropertyMapper.get();
        SessionTimeout timeout = sessionTimeout.getIfAvailable();
        Duration maxInactive = timeout != null ? timeout.getTimeout() : null;
        map.from(maxInactive).to(repository::setDefaultMaxInactiveInterval);
        map.from(redisProperties::getFlushMode).to(repository::setFlushMode);
        map.from(redisProperties::getSaveMode).to(repository::setSaveMode);
        sessionIdGenerator.ifAvailable(repository::setSessionIdGenerator);
        customizers.orderedStream().forEach(customizer -> customizer.customize(repository));
        return repository;
    }
}
