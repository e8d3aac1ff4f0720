package io.sessionlocking.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reconnect delay of the clients session locking configures: doubling from 1 ms, never above its cap. */
class ReconnectDelaysTests {

    @Test
    void theDelayDoublesUpToItsCap() {
        Delay delay = ReconnectDelays.upTo(Duration.ofSeconds(1));

        assertThat(delay.createDelay(1)).isEqualTo(Duration.ofMillis(1));
        assertThat(delay.createDelay(5)).isEqualTo(Duration.ofMillis(16));
        assertThat(delay.createDelay(11)).isEqualTo(Duration.ofSeconds(1));
        assertThat(delay.createDelay(40))
                .as("after a long outage, where Lettuce's default would wait 30 s")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void ownClientResourcesUseTheDefaultCapAndShutDownWithTheirClient() {
        ClientResources resources = ReconnectDelays.clientResources();
        RedisClient client = RedisClient.create(resources, "redis://127.0.0.1:1");

        assertThat(resources.reconnectDelay().createDelay(40)).isEqualTo(ReconnectDelays.DEFAULT_MAX);
        ReconnectDelays.shutdown(client);
        assertThat(resources.eventExecutorGroup().isShutdown()).isTrue();
    }
}
