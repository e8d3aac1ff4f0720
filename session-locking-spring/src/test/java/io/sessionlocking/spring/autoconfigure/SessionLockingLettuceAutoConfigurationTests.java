package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** What session locking sets on Spring Boot's Lettuce client, and when it leaves it alone. */
class SessionLockingLettuceAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataRedisAutoConfiguration.class, SessionLockingLettuceAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=1"); // never connected to

    @Test
    void bootsClientRejectsCommandsWhileDisconnectedAndReconnectsAtMostASecondApart() {
        runner.run(context -> {
            LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
            assertThat(disconnectedBehavior(factory)).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            assertThat(longestReconnectDelay(factory)).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void thePropertiesChangeBoth() {
        runner.withPropertyValues(
                        "session-locking.lettuce.max-reconnect-delay=250ms",
                        "session-locking.lettuce.reject-commands-while-disconnected=false")
                .run(context -> {
                    LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
                    assertThat(disconnectedBehavior(factory)).isEqualTo(ClientOptions.DisconnectedBehavior.DEFAULT);
                    assertThat(longestReconnectDelay(factory)).isEqualTo(Duration.ofMillis(250));
                });
    }

    @Test
    void anOutOfRangeDelayFailsStartupNamingTheProperty() {
        runner.withPropertyValues("session-locking.lettuce.max-reconnect-delay=2m")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("session-locking.lettuce.max-reconnect-delay")
                            .hasMessageContaining("[10ms, 1m]");
                });
    }

    @Test
    void theNonLockingHandlerLeavesTheClientAsBootMakesIt() {
        runner.withPropertyValues("session-locking.handler=non-locking").run(context -> {
            LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
            assertThat(disconnectedBehavior(factory)).isEqualTo(ClientOptions.DisconnectedBehavior.DEFAULT);
            assertThat(longestReconnectDelay(factory)).isEqualTo(Duration.ofSeconds(30));
        });
    }

    private static ClientOptions.DisconnectedBehavior disconnectedBehavior(LettuceConnectionFactory factory) {
        return factory.getClientConfiguration().getClientOptions().orElseThrow().getDisconnectedBehavior();
    }

    /** The delay after many failed attempts: the cap. */
    private static Duration longestReconnectDelay(LettuceConnectionFactory factory) {
        ClientResources resources =
                factory.getClientConfiguration().getClientResources().orElseThrow();
        return resources.reconnectDelay().createDelay(40);
    }
}
