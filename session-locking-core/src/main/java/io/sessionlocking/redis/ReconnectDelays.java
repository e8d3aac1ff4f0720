package io.sessionlocking.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a Lettuce client waits between attempts to reconnect to a Redis that went away. Lettuce's default doubles
 * the pause up to 30 s, so after a long outage the client may not try again for up to 30 s after Redis is back;
 * session locking caps it at {@link #DEFAULT_MAX} instead, so that recovery takes at most about that long. An attempt
 * to a Redis that is down is refused at once, so a short cap costs one refused connect per interval and node, no
 * more.
 */
public final class ReconnectDelays {

    /** Longest pause between two reconnect attempts of the clients session locking configures. */
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(1);

    private ReconnectDelays() {}

    /** Doubling from 1 ms up to {@code max}. */
    public static Delay upTo(Duration max) {
        return Delay.exponential(Duration.ZERO, max, 2, TimeUnit.MILLISECONDS);
    }

    /**
     * Client resources of their own for a client session locking creates, with reconnects capped at {@link
     * #DEFAULT_MAX}; shut down with their client by {@link #shutdown(AbstractRedisClient)}.
     */
    public static ClientResources clientResources() {
        return DefaultClientResources.builder()
                .reconnectDelay(upTo(DEFAULT_MAX))
                .build();
    }

    /** Shuts down a client made on {@link #clientResources()}, then its resources, waiting about 5 s at most. */
    public static void shutdown(AbstractRedisClient client) {
        ClientResources resources = client.getResources();
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            try {
                // Waits (bounded), so that no event loop thread of this client outlives the caller's shutdown.
                resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // Shutting down anyway; nothing is left to do for a resource that did not stop in time.
            }
        }
    }
}
