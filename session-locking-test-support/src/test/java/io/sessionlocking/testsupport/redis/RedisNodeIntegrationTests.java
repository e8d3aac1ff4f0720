package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisNodeIntegrationTests {

    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

    private RedisClient client;

    @AfterEach
    void shutDownClient() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void startsOnAFreeLoopbackPortAndAnswersARealClient() {
        try (RedisNode node = RedisNode.start();
                StatefulRedisConnection<String, String> connection = connect(node)) {
            assertThat(node.host()).isEqualTo("127.0.0.1");
            assertThat(node.uri()).isEqualTo("redis://127.0.0.1:" + node.port());
            assertThat(node.isRunning()).isTrue();
            assertThat(ProcessHandle.of(node.pid())).isPresent();

            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.ping()).isEqualTo("PONG");
            redis.set("greeting", "hello");
            assertThat(node.command("GET", "greeting")).isEqualTo("hello");
            assertThat(node.command("CONFIG", "GET", "save")).isEqualTo("save\n");
            assertThat(node.command("CONFIG", "GET", "bind")).isEqualTo("bind\n127.0.0.1");
        }
    }

    @Test
    void rawCommandHelperCoversInspectionNeeds() {
        try (RedisNode node = RedisNode.start()) {
            assertThat(node.command("PING")).isEqualTo("PONG");
            assertThat(node.command("SET", "a", "1")).isEqualTo("OK");
            assertThat(node.command("SET", "b", "2")).isEqualTo("OK");
            assertThat(node.command("DBSIZE")).isEqualTo("2");
            assertThat(node.command("KEYS", "*").split("\n")).containsExactlyInAnyOrder("a", "b");
            assertThat(node.command("GET", "missing")).isNull();

            node.flushAll();

            assertThat(node.command("DBSIZE")).isEqualTo("0");
            assertThatThrownBy(() -> node.command("NOPE"))
                    .isInstanceOf(RedisReplyException.class)
                    .hasMessageStartingWith("ERR unknown command");
        }
    }

    @Test
    void writeAndWaitCountsTheReplicasThatAcknowledgedThatVeryWrite() {
        // The replica syncs at once instead of after the 5 s Redis waits for more replicas to share the transfer.
        try (RedisNode master =
                        RedisNode.start(RedisNodeOptions.defaults().withArgs("--repl-diskless-sync-delay", "0"));
                RedisNode replica = RedisNode.start(RedisNodeOptions.defaults()
                        .withArgs("--replicaof", master.host(), Integer.toString(master.port())))) {
            assertThat(master.writeAndWait(1, Duration.ofSeconds(10), "SET", "k", "replicated"))
                    .isEqualTo(1);
            assertThat(replica.command("GET", "k")).isEqualTo("replicated");

            replica.pause();

            assertThat(master.writeAndWait(1, Duration.ofMillis(200), "SET", "k", "not yet"))
                    .as("the replica is connected, but frozen")
                    .isZero();
            // WAIT on a connection of its own waits for nothing: it counts the connected replica at once.
            assertThat(master.command("WAIT", "1", "200")).isEqualTo("1");
            replica.resume();
            assertThatThrownBy(() -> master.writeAndWait(1, Duration.ofSeconds(1), "NOPE"))
                    .isInstanceOf(RedisReplyException.class);
        }
    }

    @Test
    void extraArgumentsReachTheServer() {
        try (RedisNode node = RedisNode.start(RedisNodeOptions.defaults().withArgs("--maxmemory", "12mb"))) {
            assertThat(node.command("CONFIG", "GET", "maxmemory")).isEqualTo("maxmemory\n12582912");
        }
    }

    @Test
    void invalidArgumentsFailFastWithTheServerOutput() {
        assertThatThrownBy(() -> RedisNode.start(RedisNodeOptions.defaults().withArgs("--no-such-directive", "1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited during startup")
                .hasMessageContaining("no-such-directive");
    }

    @Test
    void killedNodeRefusesClientsAndRestartsOnTheSamePort() {
        try (RedisNode node = RedisNode.start();
                StatefulRedisConnection<String, String> connection = connect(node)) {
            int port = node.port();
            long pid = node.pid();
            assertThat(connection.sync().ping()).isEqualTo("PONG");

            node.kill();

            assertThat(node.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisException.class);
            assertThatThrownBy(() -> node.command("PING")).isInstanceOf(UncheckedIOException.class);

            node.restart();

            assertThat(node.isRunning()).isTrue();
            assertThat(node.port()).isEqualTo(port);
            assertThat(node.pid()).isNotEqualTo(pid);
            assertThat(node.command("PING")).isEqualTo("PONG");
            try (StatefulRedisConnection<String, String> fresh = connect(node)) {
                assertThat(fresh.sync().ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void gracefulStopLosesDataBecauseNothingIsPersisted() {
        try (RedisNode node = RedisNode.start()) {
            node.command("SET", "k", "v");

            node.stop();

            assertThat(node.isRunning()).isFalse();
            node.restart();
            assertThat(node.command("GET", "k")).isNull();
            assertThat(node.command("DBSIZE")).isEqualTo("0");
        }
    }

    @Test
    void pausedNodeTimesClientsOutUntilResumed() {
        try (RedisNode node = RedisNode.start();
                StatefulRedisConnection<String, String> connection = connect(node)) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");

            node.pause();

            assertThat(node.isPaused()).isTrue();
            assertThat(node.isRunning()).as("a paused process still exists").isTrue();
            assertThatThrownBy(() -> node.command(Duration.ofMillis(300), "PING"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);

            node.resume();

            assertThat(node.isPaused()).isFalse();
            assertThat(node.command("PING")).isEqualTo("PONG");
            await().atMost(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .until(() -> "PONG".equals(connection.sync().ping()));
        }
    }

    @Test
    void restartOfARunningNodeStopsItFirst() {
        try (RedisNode node = RedisNode.start()) {
            long pid = node.pid();
            node.pause();

            node.restart();

            assertThat(node.pid()).isNotEqualTo(pid);
            assertThat(node.isPaused()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(node.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void closeIsIdempotentAndRemovesProcessPidFileAndDirectory() {
        RedisNode node = RedisNode.start();
        long pid = node.pid();
        var pidFile = PidFile.location(FixtureDirectories.pids(), node.port());
        var directory = PidFile.read(pidFile).orElseThrow().nodeDirectory();
        assertThat(directory).isDirectory();

        node.close();
        node.close();

        assertThat(node.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(pidFile)).isFalse();
        assertThat(Files.exists(directory)).isFalse();
        assertThatThrownBy(node::restart).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAPausedNodeEndsItsProcess() {
        RedisNode node = RedisNode.start();
        long pid = node.pid();
        node.pause();

        node.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private StatefulRedisConnection<String, String> connect(RedisNode node) {
        if (client == null) {
            client = RedisClient.create();
            // No reconnect, short timeouts: a dead or frozen server must surface as a failure within the test.
            client.setOptions(ClientOptions.builder().autoReconnect(false).build());
        }
        RedisURI uri = RedisURI.create(node.uri());
        uri.setTimeout(CLIENT_TIMEOUT);
        return client.connect(uri);
    }
}
