package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.spring.web.SessionLockFilter;
import io.sessionlocking.spring.web.SessionLockingRepository;
import io.sessionlocking.testsupport.redis.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.test.util.ReflectionTestUtils;

/** The auto-configuration on top of Boot's own Spring Session Redis configuration. */
class SessionDataRedisIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private WebApplicationContextRunner runner(String repositoryType) {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataRedisAutoConfiguration.class,
                        SessionAutoConfiguration.class,
                        SessionDataRedisAutoConfiguration.class,
                        SessionLockingAutoConfiguration.class))
                .withPropertyValues(
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.node().port(),
                        "spring.session.data.redis.repository-type=" + repositoryType);
    }

    @Test
    void defaultRedisSessionRepositoryIsLocked() {
        runner("default").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("redis");
            assertThat(context.getBean(SessionRepository.class))
                    .isInstanceOf(SessionLockingRepository.class)
                    .isInstanceOf(RedisSessionRepository.class);
            assertThat(sessionFilterRepository(context.getBean(SessionRepositoryFilter.class)))
                    .isInstanceOf(SessionLockingRepository.class);
            assertThat(context.getBeansOfType(org.springframework.boot.web.servlet.FilterRegistrationBean.class)
                            .values())
                    .anySatisfy(
                            registration -> assertThat(registration.getFilter()).isInstanceOf(SessionLockFilter.class));
        });
    }

    @Test
    void indexedRedisSessionRepositoryIsLockedAndStaysIndexed() {
        runner("indexed").run(context -> {
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

    private static Object sessionFilterRepository(SessionRepositoryFilter<?> filter) {
        return ReflectionTestUtils.getField(filter, "sessionRepository");
    }
}
