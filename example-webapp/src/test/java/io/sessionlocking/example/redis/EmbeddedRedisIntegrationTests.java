package io.sessionlocking.example.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.example.ShopApplication;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo's Redis decision in a real start-up. The probe is pointed at addresses these tests control, so the result
 * never depends on what runs on this machine's default Redis port.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedRedisIntegrationTests {

    private static final Pattern EMBEDDED_PORT = Pattern.compile("Using embedded Redis on port (\\d+)");
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final PingProbe probe = new PingProbe();

    @Test
    void startsAnEmbeddedRedisWhenNoneIsConfiguredOrAnswersAndStopsItWithTheApplication(CapturedOutput output)
            throws Exception {
        int unused = unusedPort();
        int port;
        try (ConfigurableApplicationContext context =
                start("demo.redis.probe-host=127.0.0.1", "demo.redis.probe-port=" + unused)) {
            port = context.getEnvironment().getRequiredProperty("spring.data.redis.port", Integer.class);

            assertThat(port).isNotEqualTo(unused);
            assertThat(output).contains("Using embedded Redis on port " + port);
            assertThat(probe.answers("127.0.0.1", port)).isTrue();
            assertThat(getCart(context).statusCode()).isEqualTo(200);
        }
        await().atMost(STOP_BOUND).until(() -> !probe.answers("127.0.0.1", port));
    }

    @Test
    void stopsTheEmbeddedRedisWhenTheApplicationFailsToStart(CapturedOutput output) throws Exception {
        int unused = unusedPort();

        assertThatThrownBy(() -> start(
                        "demo.redis.probe-host=127.0.0.1",
                        "demo.redis.probe-port=" + unused,
                        "session-locking.retry-delay=0ms"))
                .hasStackTraceContaining("retryDelay");

        Matcher matcher = EMBEDDED_PORT.matcher(output.getAll());
        assertThat(matcher.find()).as("embedded Redis was started").isTrue();
        int port = Integer.parseInt(matcher.group(1));
        await().atMost(STOP_BOUND).until(() -> !probe.answers("127.0.0.1", port));
    }

    @Test
    void usesARedisThatAnswersOnTheProbedAddress(CapturedOutput output) throws Exception {
        int port = redis.node().port();
        try (ConfigurableApplicationContext context =
                start("demo.redis.probe-host=127.0.0.1", "demo.redis.probe-port=" + port)) {
            assertThat(context.getEnvironment().getProperty("spring.data.redis.port", Integer.class))
                    .isEqualTo(port);
            assertThat(output).contains("Using Redis at 127.0.0.1:" + port).doesNotContain("embedded Redis on");
            assertThat(getCart(context).statusCode()).isEqualTo(200);
            assertThat(redis.node().command("KEYS", "spring:session:sessions:*"))
                    .isNotEmpty();
        }
    }

    @Test
    void usesTheConfiguredRedisWithoutProbing(CapturedOutput output) throws Exception {
        int port = redis.node().port();
        // A probe here would find nothing: the configuration must win before any probe is sent.
        try (ConfigurableApplicationContext context = start(
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + port,
                "demo.redis.probe-port=" + unusedPort())) {
            assertThat(output)
                    .contains("Using Redis at 127.0.0.1:" + port + " (configured)")
                    .doesNotContain("embedded");
            assertThat(getCart(context).statusCode()).isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        String[] args = new String[properties.length + 1];
        args[0] = "--server.port=0";
        for (int i = 0; i < properties.length; i++) {
            args[i + 1] = "--" + properties[i];
        }
        // Command-line arguments, so that they win over application.yml as a user's would.
        return new SpringApplicationBuilder(ShopApplication.class).run(args);
    }

    private static HttpResponse<String> getCart(ConfigurableApplicationContext context) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cart"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A loopback port nothing listens on (closed again before it is returned). */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
