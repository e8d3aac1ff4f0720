package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.spring.actuate.SessionLocksEndpoint;
import io.sessionlocking.spring.metrics.SessionLockMetrics;
import io.sessionlocking.spring.web.SessionLockingRepository;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;

/** Every integration is optional: an application without Micrometer, Actuator or a Redis client still starts. */
class OptionalDependenciesTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SessionLockingAutoConfiguration.class,
                    SessionLockingMetricsAutoConfiguration.class,
                    SessionLockingEndpointAutoConfiguration.class))
            .withUserConfiguration(Repository.class);

    @Test
    void startsWithNoOptionalDependencyOnTheClasspath() {
        runner.withClassLoader(new FilteredClassLoader(
                        MeterRegistry.class, Endpoint.class, RedissonClient.class, LettuceConnectionFactory.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SpinLockProvider.class).storeName())
                            .isEqualTo("memory");
                    assertThat(context.getBean(SessionRepository.class)).isInstanceOf(SessionLockingRepository.class);
                    assertThat(context).doesNotHaveBean(SessionLockMetrics.class);
                    assertThat(context).doesNotHaveBean(SessionLocksEndpoint.class);
                });
    }

    @Test
    void metricsBindWhenARegistryExists() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(SessionLockMetrics.class);
            context.getBean(SpinLockProvider.class)
                    .acquire("0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e")
                    .release();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(SessionLockMetrics.ACQUIRE)
                            .tag("outcome", "acquired")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get(SessionLockMetrics.HELD).timer().count()).isEqualTo(1);
            assertThat(registry.get(SessionLockMetrics.WAITING).gauge().value()).isZero();
        });
    }

    @Test
    void endpointNeedsExposure() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SessionLocksEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=sessionlocks")
                .run(context -> assertThat(context).hasSingleBean(SessionLocksEndpoint.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Repository {

        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }
}
