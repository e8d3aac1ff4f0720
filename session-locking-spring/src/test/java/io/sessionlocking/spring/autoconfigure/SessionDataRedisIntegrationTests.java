package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.spring.redis.LockingRedisSession;
import io.sessionlocking.spring.redis.LockingRedisSessionRepository;
import io.sessionlocking.spring.web.SessionLockFilter;
import io.sessionlocking.spring.web.SessionLockingRepository;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.data.redis.config.annotation.SpringSessionRedisConnectionFactory;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Which repository the application gets on top of Boot's own Spring Session Redis configuration, and that the fused
 * repository honours Spring Session's settings the way Boot applies them to the repository it replaces.
 */
class SessionDataRedisIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @BeforeEach
    void empty() {
        redis.node().flushAll();
    }

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataRedisAutoConfiguration.class,
                        SessionAutoConfiguration.class,
                        SessionDataRedisAutoConfiguration.class,
                        LockingRedisSessionAutoConfiguration.class,
                        SessionLockingAutoConfiguration.class))
                .withPropertyValues(
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.node().port());
    }

    @Test
    void theDefaultRedisRepositoryIsReplacedByTheFusedOne() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionRepository.class)).isInstanceOf(LockingRedisSessionRepository.class);
            assertThat(context).doesNotHaveBean(RedisSessionRepository.class);
            assertThat(context).doesNotHaveBean(LettuceLockStores.Managed.class);
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("redis-session");
            assertThat(sessionFilterRepository(context.getBean(SessionRepositoryFilter.class)))
                    .isInstanceOf(LockingRedisSessionRepository.class);
            assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
                    .anySatisfy(
                            registration -> assertThat(registration.getFilter()).isInstanceOf(SessionLockFilter.class));
        });
    }

    @Test
    void theDecoratorCanBeChosen() {
        runner().withPropertyValues("session-locking.repository=decorator").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionRepository.class))
                    .isInstanceOf(SessionLockingRepository.class)
                    .isInstanceOf(RedisSessionRepository.class);
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("redis");
        });
    }

    @Test
    void theIndexedRepositoryKeepsTheDecoratorAndStaysIndexed() {
        runner().withPropertyValues("spring.session.data.redis.repository-type=indexed")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SessionRepository.class))
                            .isInstanceOf(SessionLockingRepository.class)
                            .isInstanceOf(RedisIndexedSessionRepository.class);
                    assertThat(context.getBean(FindByIndexNameSessionRepository.class))
                            .isInstanceOf(SessionLockingRepository.class);
                    assertThat(sessionFilterRepository(context.getBean(SessionRepositoryFilter.class)))
                            .isInstanceOf(SessionLockingRepository.class);
                });
    }

    @Test
    void theNonLockingHandlerIsPlainSpringSession() {
        runner().withPropertyValues("session-locking.handler=non-locking").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionRepository.class))
                    .isInstanceOf(RedisSessionRepository.class)
                    .isNotInstanceOf(SessionLockingRepository.class);
            assertThat(context).doesNotHaveBean(SessionLockFilter.class);
        });
    }

    @Test
    void anApplicationsOwnRepositoryKeepsTheDecorator() {
        runner().withUserConfiguration(OwnRepository.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionRepository.class))
                    .isInstanceOf(MapSessionRepository.class)
                    .isInstanceOf(SessionLockingRepository.class);
            assertThat(context).doesNotHaveBean(LockingRedisSessionRepository.class);
        });
    }

    @Test
    void springSessionSettingsApplyToTheFusedRepository() {
        runner().withUserConfiguration(SessionSettings.class)
                .withPropertyValues(
                        "spring.session.data.redis.namespace=shop:sessions",
                        "spring.session.timeout=5m",
                        "spring.session.data.redis.save-mode=always")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    LockingRedisSessionRepository repository = context.getBean(LockingRedisSessionRepository.class);
                    LockingRedisSession session = repository.createSession();
                    session.setAttribute("cart", "tea");
                    repository.save(session);

                    assertThat(session.getId()).startsWith("custom-");
                    String key = "shop:sessions:sessions:" + session.getId();
                    assertThat(redis.node().command("EXISTS", key)).isEqualTo("1");
                    assertThat(Long.parseLong(redis.node().command("PTTL", key)))
                            .isBetween(
                                    Duration.ofMinutes(4).toMillis(),
                                    Duration.ofMinutes(5).toMillis());
                    assertThat(redis.node().command("HGET", key, "sessionAttr:cart"))
                            .as("written by the springSessionDefaultRedisSerializer bean")
                            .isEqualTo("tea");
                    assertThat(context.getBean(SessionSettings.class).customized)
                            .isTrue();
                });
    }

    @Test
    void aSpringSessionConnectionFactoryIsTheOneUsed() {
        runner().withUserConfiguration(SessionConnectionFactory.class)
                .withPropertyValues("spring.data.redis.port=1") // the application's own factory points nowhere
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    LockingRedisSessionRepository repository = context.getBean(LockingRedisSessionRepository.class);
                    LockingRedisSession session = repository.createSession();
                    repository.save(session);
                    assertThat(repository.findById(session.getId())).isNotNull();
                });
    }

    @Test
    void cronCleanupIsRefusedAsForTheDefaultRepository() {
        runner().withPropertyValues("spring.session.data.redis.cleanup-cron=0 * * * * *")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("spring.session.data.redis.cleanup-cron"));
    }

    private static Object sessionFilterRepository(SessionRepositoryFilter<?> filter) {
        return ReflectionTestUtils.getField(filter, "sessionRepository");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableSpringHttpSession
    static class OwnRepository {

        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SessionSettings {

        volatile boolean customized;

        @Bean
        RedisSerializer<Object> springSessionDefaultRedisSerializer() {
            return new RedisSerializer<>() {
                @Override
                public byte[] serialize(Object value) {
                    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public Object deserialize(byte[] bytes) {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    return text.matches("-?\\d{1,10}")
                                    && Long.parseLong(text) <= Integer.MAX_VALUE
                                    && Long.parseLong(text) >= Integer.MIN_VALUE
                            ? (Object) Integer.valueOf(text)
                            : text.matches("-?\\d+") ? (Object) Long.valueOf(text) : text;
                }
            };
        }

        @Bean
        SessionIdGenerator sessionIdGenerator() {
            return () -> "custom-" + java.util.UUID.randomUUID();
        }

        @Bean
        SessionRepositoryCustomizer<LockingRedisSessionRepository> customizer() {
            return repository -> customized = true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SessionConnectionFactory {

        @Bean
        @SpringSessionRedisConnectionFactory
        LettuceConnectionFactory sessionRedis() {
            return new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", redis.node().port()));
        }

        @Bean
        RedisConnectionFactory redisConnectionFactory() {
            return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
        }
    }
}
