package io.sessionlocking.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The demo as an operator sees it: after 20 parallel adds to one cart, {@code /actuator/sessionlocks} and {@code
 * /actuator/prometheus} count exactly the 20 locked requests, and neither shows the full session id.
 */
class DemoObservabilityIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void endpointAndPrometheusCountTheRequestsMade() throws Exception {
        try (DemoApp demo = DemoApp.start(redis.node().port())) {
            String cookie = demo.newSession(); // writes the new session with its lock, released by that same save
            String sessionId = new String(
                    Base64.getDecoder().decode(cookie.substring(cookie.indexOf('=') + 1)), StandardCharsets.UTF_8);
            List<CompletableFuture<HttpResponse<String>>> adds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                adds.add(demo.sendAsync("POST", "/api/cart/items", cookie, "{\"sku\":\"tea\",\"qty\":1}"));
            }
            for (CompletableFuture<HttpResponse<String>> add : adds) {
                assertThat(add.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }

            String report =
                    demo.send("GET", "/actuator/sessionlocks", null, null).body();
            JsonNode json = DemoApp.JSON.readTree(report);
            // The 20 adds, and the new session's lock (taken and released by the write that created it).
            assertThat(json.at("/totals/acquired").asLong()).isEqualTo(21);
            assertThat(json.at("/totals/released").asLong()).isEqualTo(21);
            assertThat(json.at("/totals/failed").asLong()).isZero();
            assertThat(json.at("/waitTimeMs/count").asLong()).isEqualTo(21);
            assertThat(json.at("/configuration/backend").asString()).isEqualTo("redis-session");

            String prometheus = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(demo.url("/actuator/prometheus")))
                                    .header("Accept", "text/plain")
                                    .timeout(DemoApp.REQUEST_TIMEOUT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(value(prometheus, "session_lock_acquire_seconds_count", "outcome=\"acquired\""))
                    .isEqualTo(21);
            assertThat(value(prometheus, "session_lock_held_seconds_count", "backend=\"redis-session\""))
                    .isEqualTo(21);
            assertThat(prometheus).contains("session_lock_waiting", "session_lock_attempts");

            assertThat(report).doesNotContain(sessionId);
            assertThat(prometheus).doesNotContain(sessionId);
            assertThat(demo.cart(cookie).at("/count").asLong()).isEqualTo(20);
        }
    }

    private static double value(String prometheus, String name, String label) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(prometheus);
        while (line.find()) {
            if (line.group(1).contains(label)) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no series " + name + "{" + label + "} in:\n" + prometheus);
    }
}
