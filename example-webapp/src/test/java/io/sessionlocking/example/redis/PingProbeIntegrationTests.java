package io.sessionlocking.example.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PingProbeIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration BOUND = Duration.ofSeconds(3);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final PingProbe probe = new PingProbe(TIMEOUT);

    @Test
    void aRedisAnswers() {
        assertThat(probe.answers("127.0.0.1", redis.node().port())).isTrue();
    }

    @Test
    void aClosedPortDoesNot() throws IOException {
        int port = unusedPort();

        assertThat(assertTimeoutPreemptively(BOUND, () -> probe.answers("127.0.0.1", port)))
                .isFalse();
    }

    @Test
    void aServerThatNeverRepliesDoesNotAndTheProbeGivesUp() throws IOException {
        // The backlog accepts the connection; nobody ever reads or writes.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            assertThat(assertTimeoutPreemptively(BOUND, () -> probe.answers("127.0.0.1", silent.getLocalPort())))
                    .isFalse();
        }
    }

    @Test
    void anotherProtocolDoesNot() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ServerSocket http = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            executor.submit(() -> {
                try (Socket socket = http.accept()) {
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                return null;
            });

            assertThat(assertTimeoutPreemptively(BOUND, () -> probe.answers("127.0.0.1", http.getLocalPort())))
                    .isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    /** A loopback port nothing listens on (closed again before it is returned). */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
