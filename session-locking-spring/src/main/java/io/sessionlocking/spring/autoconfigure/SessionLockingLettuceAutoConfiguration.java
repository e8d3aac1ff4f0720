package io.sessionlocking.spring.autoconfigure;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.sessionlocking.redis.ReconnectDelays;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Makes an outage a short, defined state for Spring Boot's Lettuce client, the one Spring Session and the lock share:
 * reconnects at most {@code session-locking.lettuce.max-reconnect-delay} apart (Lettuce's default backoff grows to
 * 30 s, so after a long outage the application stayed down for up to 30 s after Redis returned), and commands
 * rejected at once while disconnected ({@code reject-commands-while-disconnected}), so that a request during an outage
 * is answered 503 at once instead of after the command timeout, and no write answered 503 is replayed later.
 *
 * <p>Both are Boot customizers, so they apply only where Boot builds the client: a {@code ClientResources} bean of
 * the application's own keeps its reconnect delay, a connection factory of its own keeps its options. Only with the
 * locking handler: with {@code non-locking} session locking stays off the request path and leaves the client alone.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({io.lettuce.core.RedisClient.class, ClientResourcesBuilderCustomizer.class})
@ConditionalOnProperty(prefix = "session-locking", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnLockingHandler
@EnableConfigurationProperties(SessionLockingProperties.class)
public final class SessionLockingLettuceAutoConfiguration {

    @Bean
    ClientResourcesBuilderCustomizer sessionLockingReconnectDelay(SessionLockingProperties properties) {
        Delay delay = ReconnectDelays.upTo(properties.getLettuce().checkedMaxReconnectDelay());
        return builder -> builder.reconnectDelay(delay);
    }

    @Bean
    @ConditionalOnProperty(
            prefix = "session-locking.lettuce",
            name = "reject-commands-while-disconnected",
            havingValue = "true",
            matchIfMissing = true)
    LettuceClientOptionsBuilderCustomizer sessionLockingDisconnectedBehavior() {
        return builder -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
