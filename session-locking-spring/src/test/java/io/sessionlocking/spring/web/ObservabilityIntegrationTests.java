package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.sessionlocking.support.SessionIds;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Real contention against a real Redis, read back through metrics, the {@code sessionlocks} endpoint, health and
 * logs: the figures match the requests made, and no output ever contains a full session id.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests {

    private static final String BOT = "Mozilla/5.0 (compatible; bingbot/2.0)";

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void metricsEndpointAndLogsMatchTheContentionCreated(CapturedOutput output) throws Exception {
        try (WebNode node =
                WebNode.start(redis.node().port(), observable(Map.of("session-locking.timeout", "300ms")))) {
            String cookie = node.newSession();
            String sessionId = sessionIdOf(cookie);
            List<String> bodies = new ArrayList<>();

            for (int i = 0; i < 5; i++) {
                assertThat(node.send("POST", "/increment", cookie).statusCode()).isEqualTo(200);
            }
            CompletableFuture<HttpResponse<String>> holder = sendAsync(node, "/increment?workMillis=1500", cookie);
            await().atMost(Duration.ofSeconds(10)).until(() -> !activity(node).isEmpty());

            assertThat(node.sendJson("POST", "/actuator/sessionlocks", lookUp(sessionId, false))
                            .statusCode())
                    .as("the look-up takes a full session id: only with unrestricted access")
                    .isIn(404, 405);

            HttpResponse<String> refused = node.send("POST", "/increment", cookie);
            assertThat(refused.statusCode()).isEqualTo(503);
            bodies.add(refused.body());
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(node.client()
                            .send(
                                    node.request(
                                            "POST", "/increment", cookie, WebNode.REQUEST_TIMEOUT, "User-Agent", BOT),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            HeldLocks.assertNoneLeft(redis.node());

            // The new session (written with its lock), 5 sequential increments and the holder acquired; the refused
            // request timed out; the bot skipped.
            String report = node.send("GET", "/actuator/sessionlocks", null).body();
            bodies.add(report);
            assertThat(JsonPath.<Integer>read(report, "$.totals.acquired")).isEqualTo(7);
            assertThat(JsonPath.<Integer>read(report, "$.totals.released")).isEqualTo(7);
            assertThat(JsonPath.<Integer>read(report, "$.totals.failed")).isEqualTo(1);
            assertThat(JsonPath.<Integer>read(report, "$.totals.failures.timeout"))
                    .isEqualTo(1);
            assertThat(JsonPath.<Integer>read(report, "$.totals.lost")).isZero();
            assertThat(JsonPath.<Integer>read(report, "$.totals.skipped.bot")).isEqualTo(1);
            assertThat(JsonPath.<Integer>read(report, "$.waitTimeMs.count")).isEqualTo(8);
            assertThat(JsonPath.<Number>read(report, "$.waitTimeMs.max").doubleValue())
                    .isGreaterThanOrEqualTo(300);
            assertThat(JsonPath.<Number>read(report, "$.heldTimeMs.max").doubleValue())
                    .isGreaterThanOrEqualTo(1500);
            assertThat(JsonPath.<Integer>read(report, "$.now.heldCount")).isZero();
            assertThat(JsonPath.<String>read(report, "$.recentFailures[0].reason"))
                    .isEqualTo("timeout");
            assertThat(JsonPath.<String>read(report, "$.recentFailures[0].path"))
                    .isEqualTo("/increment");
            assertThat(JsonPath.<String>read(report, "$.recentFailures[0].session"))
                    .isEqualTo(SessionIds.mask(sessionId));
            assertThat(JsonPath.<String>read(report, "$.mostContended[0].session"))
                    .isEqualTo(SessionIds.mask(sessionId));
            assertThat(JsonPath.<String>read(report, "$.configuration.backend")).isEqualTo("redis-session");
            assertThat(JsonPath.<Integer>read(report, "$.configuration.timeoutMs"))
                    .isEqualTo(300);

            String prometheus = node.send("GET", "/actuator/prometheus", null).body();
            bodies.add(prometheus);
            assertThat(series(prometheus, "session_lock_acquire_seconds_count", "outcome=\"acquired\""))
                    .isEqualTo(7);
            assertThat(series(prometheus, "session_lock_acquire_seconds_count", "outcome=\"timeout\""))
                    .isEqualTo(1);
            assertThat(series(prometheus, "session_lock_failures_total", "reason=\"timeout\""))
                    .isEqualTo(1);
            assertThat(series(prometheus, "session_lock_skipped_total", "rule=\"bot\""))
                    .isEqualTo(1);
            assertThat(series(prometheus, "session_lock_held_seconds_count", "backend=\"redis-session\""))
                    .isEqualTo(7);
            assertThat(series(prometheus, "session_lock_attempts_count", "backend=\"redis-session\""))
                    .isEqualTo(8);
            assertThat(series(prometheus, "session_lock_lost_total", "backend=\"redis-session\""))
                    .isZero();
            assertThat(prometheus).contains("session_lock_waiting", "session_lock_active_seconds");
            assertThat(series(prometheus, "session_lock_renewals_skipped_total", "backend=\"redis-session\""))
                    .isZero();
            // Each wait of a load is also an observation (a span when tracing is on), with the failure as its error.
            assertThat(series(prometheus, "session_lock_wait_seconds_count", "error=\"none\""))
                    .isEqualTo(6);
            assertThat(series(
                            prometheus, "session_lock_wait_seconds_count", "error=\"LockCouldNotBeAcquiredException\""))
                    .isEqualTo(1);

            String health = node.send("GET", "/actuator/health", null).body();
            bodies.add(health);
            assertThat(JsonPath.<String>read(health, "$.components.sessionLocks.status"))
                    .isEqualTo("UP");
            assertThat(JsonPath.<String>read(health, "$.components.sessionLocks.details.maxmemoryPolicy"))
                    .isEqualTo("noeviction");
            assertThat(health).doesNotContain("\"warning\"");

            assertThat(output.getAll())
                    .contains("Could not lock session " + SessionIds.mask(sessionId) + " for POST /increment: TIMEOUT")
                    .contains("held by [node=")
                    .doesNotContain(sessionId);
            assertThat(bodies).allSatisfy(body -> assertThat(body).doesNotContain(sessionId));
        }
    }

    @Test
    void unrestrictedAccessAllowsTheLookUpAndAnAuditedForceReleaseWithTheIdInTheBodyNeverInAUrl(
            CapturedOutput output, @TempDir Path accessLogs) throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                observable(Map.of(
                        "management.endpoint.sessionlocks.access", "unrestricted",
                        "server.tomcat.accesslog.enabled", "true",
                        "server.tomcat.accesslog.buffered", "false",
                        "server.tomcat.basedir", accessLogs.toString(),
                        "server.tomcat.accesslog.directory", "logs")))) {
            String cookie = node.newSession();
            String sessionId = sessionIdOf(cookie);
            CompletableFuture<HttpResponse<String>> stuck = sendAsync(node, "/increment?workMillis=3000", cookie);
            await().atMost(Duration.ofSeconds(10)).until(() -> !activity(node).isEmpty());

            HttpResponse<String> whoHolds = node.sendJson("POST", "/actuator/sessionlocks", lookUp(sessionId, false));

            assertThat(whoHolds.statusCode()).isEqualTo(200);
            assertThat(JsonPath.<Boolean>read(whoHolds.body(), "$.held")).isTrue();
            assertThat(JsonPath.<Boolean>read(whoHolds.body(), "$.released")).isFalse();
            assertThat(JsonPath.<String>read(whoHolds.body(), "$.path")).isEqualTo("/increment");
            assertThat(JsonPath.<String>read(whoHolds.body(), "$.method")).isEqualTo("POST");
            assertThat(JsonPath.<Number>read(whoHolds.body(), "$.ttlMs").longValue())
                    .isPositive();
            assertThat(JsonPath.<String>read(whoHolds.body(), "$.session")).isEqualTo(SessionIds.mask(sessionId));
            String report = node.send("GET", "/actuator/sessionlocks", null).body();
            assertThat(JsonPath.<String>read(whoHolds.body(), "$.node"))
                    .as("the node as its own report names it: no host name, no process id")
                    .isEqualTo(JsonPath.<String>read(report, "$.configuration.nodeName"))
                    .matches("node#[0-9a-f]{8}")
                    .doesNotContain(InetAddress.getLocalHost().getHostName());
            String malformed = node.sendJson("POST", "/actuator/sessionlocks", "{\"sessionId\": \"{bad}\"}")
                    .body();
            assertThat(JsonPath.<Boolean>read(malformed, "$.held")).isFalse();
            assertThat(JsonPath.<String>read(malformed, "$.session")).isEqualTo("****");

            HttpResponse<String> released = node.sendJson("POST", "/actuator/sessionlocks", lookUp(sessionId, true));

            assertThat(released.statusCode()).isEqualTo(200);
            assertThat(JsonPath.<Boolean>read(released.body(), "$.released")).isTrue();
            assertThat(JsonPath.<String>read(released.body(), "$.path")).isEqualTo("/increment");
            long start = System.nanoTime();
            assertThat(node.send("POST", "/increment?workMillis=0", cookie).statusCode())
                    .isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the next request did not wait for the stuck one")
                    .isLessThan(Duration.ofMillis(2500));
            HttpResponse<String> stuckResponse = stuck.get(30, TimeUnit.SECONDS);
            assertThat(stuckResponse.statusCode())
                    .as("the stuck holder's save is fenced out: its lock is another request's now")
                    .isEqualTo(503);
            assertThat(stuckResponse.body()).contains("\"reason\":\"lock_lost\"");
            assertThat(node.counter(cookie))
                    .as("only the next request's increment landed")
                    .isEqualTo(1);
            report = node.send("GET", "/actuator/sessionlocks", null).body();
            assertThat(JsonPath.<Integer>read(report, "$.totals.lost"))
                    .as("the stuck holder found its lock gone")
                    .isEqualTo(1);
            assertThat(output.getAll())
                    .contains("AUDIT: force release of the lock of session " + SessionIds.mask(sessionId))
                    .doesNotContain(sessionId);
            assertThat(accessLog(accessLogs))
                    .as("the access log has every look-up, and never the session id")
                    .contains("POST /actuator/sessionlocks HTTP/1.1\" 200")
                    .doesNotContain(sessionId);
        }
    }

    @Test
    void aConfiguredNodeNameIsWhatTheLookUpShows() throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                observable(Map.of(
                        "management.endpoint.sessionlocks.access", "unrestricted",
                        "session-locking.node-name", "web-1 (eu-west)")))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = sendAsync(node, "/increment?workMillis=1500", cookie);
            await().atMost(Duration.ofSeconds(10)).until(() -> !activity(node).isEmpty());

            String whoHolds = node.sendJson("POST", "/actuator/sessionlocks", lookUp(sessionIdOf(cookie), false))
                    .body();

            assertThat(JsonPath.<String>read(whoHolds, "$.node")).isEqualTo("web-1 (eu-west)");
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthIsDownWhileTheBackendIsUnreachableWithOneLogLineNotAStackTracePerProbe(CapturedOutput output)
            throws Exception {
        try (RedisNode own = RedisNode.start();
                WebNode node =
                        WebNode.start(own.port(), observable(Map.of("session-locking.command-timeout", "300ms")))) {
            assertThat(JsonPath.<String>read(
                            node.send("GET", "/actuator/health", null).body(), "$.components.sessionLocks.status"))
                    .isEqualTo("UP");
            own.kill();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> health = node.send("GET", "/actuator/health", null);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(JsonPath.<String>read(health.body(), "$.components.sessionLocks.status"))
                        .isEqualTo("DOWN");
            });
            for (int i = 0; i < 3; i++) {
                node.send("GET", "/actuator/health/sessionLocks", null);
            }
            own.restart();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(JsonPath.<String>read(
                                    node.send("GET", "/actuator/health", null).body(),
                                    "$.components.sessionLocks.status"))
                            .isEqualTo("UP"));
        }
        List<String> lines = output.getAll().lines().toList();
        assertThat(lines.stream().filter(line -> line.matches(".*Session lock backend \\S+ is unavailable.*")))
                .as("one WARN for the whole outage")
                .hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("WARN"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("is available again"));
    }

    @Test
    void healthAnswersWithinItsOwnTimeoutWhileRedisHangs() throws Exception {
        try (RedisNode own = RedisNode.start();
                WebNode node =
                        WebNode.start(own.port(), observable(Map.of("session-locking.command-timeout", "10s")))) {
            assertThat(JsonPath.<String>read(
                            node.send("GET", "/actuator/health/sessionLocks", null)
                                    .body(),
                            "$.status"))
                    .isEqualTo("UP");
            own.pause();
            try {
                long start = System.nanoTime();
                HttpResponse<String> health = node.send("GET", "/actuator/health/sessionLocks", null);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took)
                        .as("bounded by the indicator's 1 s, not the 10 s command timeout")
                        .isLessThan(Duration.ofSeconds(6));
                assertThat(health.statusCode()).isEqualTo(503);
                // Whichever gives up first: the indicator's own 1 s, or the Redis client's timeout (1 s here).
                assertThat(JsonPath.<String>read(health.body(), "$.details.error"))
                        .satisfiesAnyOf(
                                error -> assertThat(error).isEqualTo("no answer within 1000 ms"),
                                error -> assertThat(error).contains("timed out"));
            } finally {
                own.resume();
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(JsonPath.<String>read(
                                    node.send("GET", "/actuator/health/sessionLocks", null)
                                            .body(),
                                    "$.status"))
                            .isEqualTo("UP"));
        }
    }

    @Test
    void anEvictingMaxmemoryPolicyIsWarnedAtStartupAndInTheHealthDetails(CapturedOutput output) throws Exception {
        try (RedisNode own = RedisNode.start()) {
            own.command("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
            try (WebNode node = WebNode.start(own.port(), observable(Map.of()))) {
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(output.getAll())
                                .contains("WARN")
                                .contains("Redis maxmemory-policy is volatile-lru: when Redis reaches maxmemory it "
                                        + "evicts keys that have a TTL"));
                String health =
                        node.send("GET", "/actuator/health/sessionLocks", null).body();

                assertThat(JsonPath.<String>read(health, "$.status")).isEqualTo("UP");
                assertThat(JsonPath.<String>read(health, "$.details.maxmemoryPolicy"))
                        .isEqualTo("volatile-lru");
                assertThat(JsonPath.<String>read(health, "$.details.warning"))
                        .contains("set maxmemory-policy noeviction");
            }
        }
    }

    private static Map<String, String> observable(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(extra);
        properties.put("management.endpoints.web.exposure.include", "health,sessionlocks,prometheus,metrics");
        properties.put("management.endpoint.health.show-details", "always");
        properties.put("logging.level.io.sessionlocking", "DEBUG");
        // Boot's own Redis health check waits for Lettuce's 60 s default when Redis is gone.
        properties.put("spring.data.redis.timeout", "1s");
        return properties;
    }

    private static String lookUp(String sessionId, boolean release) {
        return "{\"sessionId\": \"" + sessionId + "\"" + (release ? ", \"release\": true" : "") + "}";
    }

    private static String accessLog(Path tomcatBase) throws IOException {
        try (Stream<Path> files = Files.walk(tomcatBase.resolve("logs"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(file));
            }
            return all.toString();
        }
    }

    private static List<Object> activity(WebNode node) throws Exception {
        return JsonPath.read(node.send("GET", "/actuator/sessionlocks", null).body(), "$.now.held");
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(WebNode node, String path, String cookie) {
        return node.client()
                .sendAsync(
                        node.request("POST", path, cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one series of {@code name} whose labels contain {@code label}. */
    private static double series(String prometheus, String name, String label) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        var matcher = line.matcher(prometheus);
        List<Double> values = new ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(1).contains(label)) {
                values.add(Double.parseDouble(matcher.group(2)));
            }
        }
        assertThat(values).as("series %s{%s}", name, label).hasSize(1);
        return values.get(0);
    }

    static String sessionIdOf(String cookie) {
        String encoded = cookie.substring(cookie.indexOf('=') + 1);
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
