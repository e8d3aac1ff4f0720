package io.sessionlocking.testsupport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lettuce talking to a real Redis through the proxy, under each fault. */
class TcpProxyIntegrationTests {

    /** Short, so that faults surface fast; far above a loopback round trip even on a loaded machine. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @RegisterExtension
    final TcpProxyExtension proxyExtension =
            TcpProxyExtension.to(() -> redis.node().address());

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    private RedisCommands<String, String> commands;

    @BeforeEach
    void connectThroughTheProxy(TcpProxy proxy, RedisNode node) {
        node.flushAll();
        RedisURI uri = RedisURI.create(proxy.redisUri());
        uri.setTimeout(COMMAND_TIMEOUT);
        client = RedisClient.create(uri); // auto-reconnect on, as in production
        connection = client.connect();
        commands = connection.sync();
    }

    @AfterEach
    void shutDownClient() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void lettuceTalksToRedisThroughTheProxy(TcpProxy proxy, RedisNode node) {
        assertThat(commands.ping()).isEqualTo("PONG");
        assertThat(commands.set("k", "v")).isEqualTo("OK");
        assertThat(commands.get("k")).isEqualTo("v");

        assertThat(node.command("GET", "k")).isEqualTo("v");
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);
        assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isPositive();
        assertThat(proxy.bytesForwarded(Direction.DOWNSTREAM)).isPositive();
        assertThat(proxy.bytesDropped(Direction.UPSTREAM)).isZero();
    }

    @Test
    void latencyIsAddedOncePerDirectionToEveryRoundTrip(TcpProxy proxy) {
        commands.ping();
        proxy.latency(Direction.UPSTREAM, Duration.ofMillis(100));
        proxy.latency(Direction.DOWNSTREAM, Duration.ofMillis(150));
        RedisURI patient = RedisURI.create(proxy.redisUri());
        patient.setTimeout(Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> slow = client.connect(patient)) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThat(slow.sync().ping()).isEqualTo("PONG");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
        }
    }

    @Test
    void stallTimesCommandsOutAndHealDeliversWhatWasHeld(TcpProxy proxy, RedisNode node) {
        commands.ping();

        proxy.stall();

        assertThatThrownBy(() -> commands.set("k", "late")).isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(node.command("GET", "k")).as("held by the proxy").isNull();
        assertThat(proxy.openConnections()).isEqualTo(1);

        proxy.heal();

        // The timed-out SET still reaches Redis: a stall delays, it never loses bytes.
        await().atMost(RECOVERY).until(() -> "late".equals(node.command("GET", "k")));
        assertThat(commands.ping()).isEqualTo("PONG");
        assertThat(proxy.acceptedConnections()).as("same connection throughout").isEqualTo(1);
    }

    @Test
    void boundedStallEndsByItself(TcpProxy proxy) {
        RedisURI patient = RedisURI.create(proxy.redisUri());
        patient.setTimeout(Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> slow = client.connect(patient)) {
            slow.sync().ping();
            long start = System.nanoTime();

            proxy.stall(Duration.ofMillis(300));

            assertThat(slow.sync().ping()).isEqualTo("PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(proxy.isStalled(Direction.UPSTREAM)).isFalse();
        }
    }

    @Test
    void downstreamStallAppliesTheWriteButWithholdsTheReply(TcpProxy proxy, RedisNode node) {
        commands.ping();

        proxy.stall(Direction.DOWNSTREAM);

        assertThatThrownBy(() -> commands.set("k", "applied")).isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(node.command("GET", "k")).isEqualTo("applied");
    }

    @Test
    void dropDiscardsTrafficAndHealMakesTheClientReconnect(TcpProxy proxy, RedisNode node) {
        commands.ping();

        proxy.drop();

        assertThatThrownBy(() -> commands.set("k", "lost")).isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(proxy.bytesDropped(Direction.UPSTREAM)).isPositive();
        assertThat(proxy.openConnections())
                .as("a black hole keeps connections open")
                .isEqualTo(1);

        proxy.heal();

        assertThat(proxy.openConnections()).as("a stream with a hole is reset").isZero();
        await().atMost(RECOVERY).ignoreExceptions().until(() -> "PONG".equals(commands.ping()));
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
        assertThat(node.command("GET", "k")).as("dropped, never delivered").isNull();
    }

    @Test
    void cutResetsConnectionsAndTheClientReconnects(TcpProxy proxy) {
        commands.ping();

        proxy.cut();

        assertThat(proxy.openConnections()).isZero();
        await().atMost(RECOVERY).ignoreExceptions().until(() -> "PONG".equals(commands.ping()));
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
        assertThat(proxy.refusedConnections()).isZero();
    }

    @Test
    void cutAndRefuseKeepsClientsOutUntilHealed(TcpProxy proxy) {
        commands.ping();

        proxy.cutAndRefuse();

        assertThatThrownBy(commands::ping).isInstanceOf(RedisException.class);
        await().atMost(RECOVERY).until(() -> proxy.refusedConnections() > 0);
        assertThat(proxy.openConnections()).isZero();

        proxy.heal();

        await().atMost(RECOVERY).ignoreExceptions().until(() -> "PONG".equals(commands.ping()));
        assertThat(proxy.openConnections()).isEqualTo(1);
    }
}
