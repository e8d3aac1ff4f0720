package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;

/** An application with a {@code RedissonClient} bean keeps its session locks through Redisson. */
class RedissonBackendIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SessionLockingAutoConfiguration.class))
            .withUserConfiguration(RedissonApplication.class)
            .withPropertyValues("test.redis.uri=" + redis.uri());

    @Test
    void redissonClientBeanSelectsTheRedissonBackend() {
        runner.run(context -> {
            SpinLockProvider provider = context.getBean(SpinLockProvider.class);
            assertThat(provider.storeName()).isEqualTo("redisson");
            String sessionId = "5e1f6a2b-0c3d-4e5f-8a9b-0c1d2e3f4a5b";
            String key = "spring:session:lock:{" + sessionId + "}";
            try (SessionLock lock = provider.acquire(sessionId)) {
                assertThat(redis.node().command("EXISTS", key)).isEqualTo("1");
            }
            assertThat(redis.node().command("EXISTS", key)).isEqualTo("0");
        });
    }

    @Test
    void explicitBackendWinsOverDetection() {
        runner.withPropertyValues("session-locking.backend=memory")
                .run(context -> assertThat(
                                context.getBean(SpinLockProvider.class).storeName())
                        .isEqualTo("memory"));
    }

    @Configuration(proxyBeanMethods = false)
    static class RedissonApplication {

        @Bean(destroyMethod = "shutdown")
        RedissonClient redissonClient(org.springframework.core.env.Environment environment) {
            Config config = new Config();
            config.useSingleServer()
                    .setAddress(environment.getRequiredProperty("test.redis.uri"))
                    .setConnectionMinimumIdleSize(1)
                    .setConnectionPoolSize(4);
            return Redisson.create(config);
        }

        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }
}
