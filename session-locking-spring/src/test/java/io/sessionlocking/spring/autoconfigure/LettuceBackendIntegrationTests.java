package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.spring.web.SessionLockingRepository;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;

class LettuceBackendIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DataRedisAutoConfiguration.class, SessionLockingAutoConfiguration.class))
                .withUserConfiguration(MapRepositoryConfiguration.class)
                .withPropertyValues(
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.node().port());
    }

    @Test
    void locksAreKeptInRedisNextToTheSessions() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LettuceConnectionFactory.class);
            assertThat(context).hasSingleBean(LettuceLockStores.Managed.class);
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("redis");
            assertThat(context.getBean(SessionRepository.class)).isInstanceOf(SessionLockingRepository.class);

            String sessionId = "lettuce-backend-session-1";
            String key = "spring:session:lock:{" + sessionId + "}";
            SessionLock lock = context.getBean(SessionLockProvider.class).acquire(sessionId);
            try {
                assertThat(redis.node().command("EXISTS", key)).isEqualTo("1");
                assertThat(lock.isHeld()).isTrue();
            } finally {
                assertThat(lock.release()).isTrue();
            }
            assertThat(redis.node().command("EXISTS", key)).isEqualTo("0");
        });
    }

    @Test
    void keyNamespaceIsConfigurable() {
        runner().withPropertyValues("session-locking.key-namespace=shop:sessions")
                .run(context -> {
                    String sessionId = "lettuce-backend-session-2";
                    try (SessionLock lock =
                            context.getBean(SessionLockProvider.class).acquire(sessionId)) {
                        assertThat(lock.isHeld()).isTrue();
                        assertThat(redis.node().command("EXISTS", "shop:sessions:lock:{" + sessionId + "}"))
                                .isEqualTo("1");
                    }
                    assertThat(redis.node().command("EXISTS", "shop:sessions:lock:{" + sessionId + "}"))
                            .isEqualTo("0");
                });
    }

    @Test
    void memoryBackendCanBeChosenWhileRedisIsPresent() {
        runner().withPropertyValues("session-locking.backend=memory").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LettuceConnectionFactory.class);
            assertThat(context).doesNotHaveBean(LettuceLockStores.Managed.class);
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("memory");

            String sessionId = "lettuce-backend-session-3";
            try (SessionLock lock = context.getBean(SessionLockProvider.class).acquire(sessionId)) {
                assertThat(lock.isHeld()).isTrue();
                assertThat(redis.node().command("EXISTS", "spring:session:lock:{" + sessionId + "}"))
                        .isEqualTo("0");
            }
        });
    }

    @Test
    void redissonClientIsPreferredOverTheLettuceConnectionFactory() {
        runner().withUserConfiguration(RedissonConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LettuceConnectionFactory.class);
            assertThat(context).doesNotHaveBean(LettuceLockStores.Managed.class);
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("redisson");

            String sessionId = "lettuce-backend-session-4";
            String key = "spring:session:lock:{" + sessionId + "}";
            try (SessionLock lock = context.getBean(SessionLockProvider.class).acquire(sessionId)) {
                assertThat(lock.isHeld()).isTrue();
                assertThat(redis.node().command("EXISTS", key)).isEqualTo("1");
            }
            assertThat(redis.node().command("EXISTS", key)).isEqualTo("0");
        });
    }

    @Test
    void explicitRedisBackendUsesLettuceEvenWithARedissonClient() {
        runner().withUserConfiguration(RedissonConfiguration.class)
                .withPropertyValues("session-locking.backend=redis")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(LettuceLockStores.Managed.class);
                    assertThat(context.getBean(SpinLockProvider.class).storeName())
                            .isEqualTo("redis");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class RedissonConfiguration {

        @Bean(destroyMethod = "")
        RedissonClient redissonClient() {
            Config config = new Config();
            config.useSingleServer()
                    .setAddress(redis.uri())
                    .setConnectTimeout(1000)
                    .setTimeout(2000)
                    .setRetryAttempts(0)
                    .setConnectionMinimumIdleSize(1)
                    .setConnectionPoolSize(4);
            return Redisson.create(config);
        }

        @Bean
        AutoCloseable redissonShutdown(RedissonClient redissonClient) {
            return () -> redissonClient.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MapRepositoryConfiguration {

        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }
}
