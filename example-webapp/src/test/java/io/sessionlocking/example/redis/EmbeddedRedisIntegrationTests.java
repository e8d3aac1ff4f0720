package io.sessionlocking.example.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.example.ShopApplication;
import io.sessionlocking.testsupport.redis.RedisExtension;
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
 * The demo's Redis decision in a real start-up. Without configuration the demo never probes the machine's default
 * Redis port, so these results do not depend on what runs there ({@code demo.redis=local} is covered by {@link
 * RedisChoicesTests}, since a test must not use that port).
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedRedisIntegrationTests {

    private static final Pattern EMBEDDED_PORT = Pattern.compile("Using embedded Redis on port (\\d+)");
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final PingProbe probe = new PingProbe();

    @Test
    void startsAnEmbeddedRedisWhenNoneIsConfiguredAndStopsItWithTheApplication(CapturedOutput output) throws Exception {
        int port;
        try (ConfigurableApplicationContext context = start()) {
            port = context.getEnvironment().getRequiredProperty("spring.data.redis.port", Integer.class);

            assertThat(port).isNotEqualTo(RedisChoices.LOCAL_PORT);
            assertThat(output)
                    .contains("Using embedded Redis on port " + port)
                    .contains("a second instance started with --spring.data.redis.port=" + port
                            + " loses its Redis then");
            assertThat(probe.answers("127.0.0.1", port)).isTrue();
            assertThat(getCart(context).statusCode()).isEqualTo(200);
        }
        await().atMost(STOP_BOUND).until(() -> !probe.answers("127.0.0.1", port));
    }

    @Test
    void stopsTheEmbeddedRedisWhenTheApplicationFailsToStart(CapturedOutput output) throws Exception {
        assertThatThrownBy(() -> start("session-locking.retry-delay=0ms")).hasStackTraceContaining("retry-delay");

        Matcher matcher = EMBEDDED_PORT.matcher(output.getAll());
        assertThat(matcher.find()).as("embedded Redis was started").isTrue();
        int port = Integer.parseInt(matcher.group(1));
        await().atMost(STOP_BOUND).until(() -> !probe.answers("127.0.0.1", port));
    }

    @Test
    void usesTheConfiguredRedisWithoutProbing(CapturedOutput output) throws Exception {
        int port = redis.node().port();
        // demo.redis=local would fail here (nothing of these tests runs on 6379): the configuration wins first.
        try (ConfigurableApplicationContext context =
                start("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port, "demo.redis=local")) {
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
}
