package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis goes away under a running application, on both repositories (the fused one and the decorator around Spring
 * Session's own): every request meanwhile, including Spring Session's own load and save, is answered 503 problem+json
 * {@code backend_unavailable} with a {@code Retry-After} within the command timeout and a second, never an error page;
 * once Redis is back, requests succeed again within 2 s however long it was gone. Spring Session's failed loads and
 * saves are counted in {@code session.store.failures}.
 */
class OutageIntegrationTests {

    /** Both the lock's and Spring Data's command timeout. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration ANSWER_BOUND = COMMAND_TIMEOUT.plusSeconds(1);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(2);
    /**
     * Longer than Lettuce's default backoff allows a quick recovery from: its pauses double to 8.2 s after about 8 s
     * down, so a Redis back after 12 s waits until about 16 s for its next attempt.
     */
    private static final Duration LONG_OUTAGE = Duration.ofSeconds(12);

    @ParameterizedTest
    @ValueSource(strings = {"fused", "decorator"})
    void redisKilledMidRequestAnswersEveryRequest503UntilItIsBackAndAfterALongOutageRecoversWithin2s(String repository)
            throws Exception {
        try (RedisNode redis = RedisNode.start();
                WebNode node = WebNode.start(redis.port(), properties(repository))) {
            String cookie = node.newSession();
            assertThat(node.send("POST", "/increment", cookie).statusCode()).isEqualTo(200);
            CompletableFuture<HttpResponse<String>> inFlight = node.client()
                    .sendAsync(
                            node.request("POST", "/increment?workMillis=1500", cookie, WebNode.REQUEST_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> heldCount(node) == 1);

            redis.kill();
            long killed = System.nanoTime();

            HttpResponse<String> interrupted = inFlight.get(30, TimeUnit.SECONDS);
            assertBackendUnavailable(interrupted, "the request whose save met the outage");
            List<Duration> answers = new ArrayList<>();
            for (String[] call : OUTAGE_CALLS) {
                long start = System.nanoTime();
                HttpResponse<String> response = node.send(call[0], call[1], call[2].isEmpty() ? null : cookie);
                answers.add(Duration.ofNanos(System.nanoTime() - start));
                assertBackendUnavailable(response, call[0] + " " + call[1]);
            }
            assertThat(answers).allSatisfy(took -> assertThat(took).isLessThan(ANSWER_BOUND));
            long healthStart = System.nanoTime();
            HttpResponse<String> health = node.send("GET", "/actuator/health/sessionLocks", null);
            Duration healthTook = Duration.ofNanos(System.nanoTime() - healthStart);
            assertThat(healthTook).isLessThan(Duration.ofMillis(1500));
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(JsonPath.<String>read(health.body(), "$.status")).isEqualTo("DOWN");
            // Fused: the running request's save and the new session's create; its loads are the lock's attempts,
            // counted in session.lock.failures. Decorator: the running request's save and the three calls.
            assertThat(storeFailures(node))
                    .as("Spring Session's failed loads and saves")
                    .isEqualTo(repository.equals("fused") ? 2 : 1 + OUTAGE_CALLS.length);

            sleepUntil(killed, LONG_OUTAGE);
            redis.restart();
            Duration recovery = firstSuccessAfterRestart(node);

            System.out.printf(
                    "Outage (%s): answers during it %s, health %s, first success %d ms after the restart%n",
                    repository, answers, healthTook, recovery.toMillis());
            assertThat(recovery)
                    .as("the first request after the restart that succeeds")
                    .isLessThan(RECOVERY_BOUND);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fused", "decorator"})
    void redisPausedPastTheCommandTimeoutAnswersEachRequest503WithinTheCommandTimeoutAndASecond(String repository)
            throws Exception {
        try (RedisNode redis = RedisNode.start();
                WebNode node = WebNode.start(redis.port(), properties(repository))) {
            String cookie = node.newSession();
            assertThat(node.send("POST", "/increment", cookie).statusCode()).isEqualTo(200);

            redis.pause();
            List<Duration> answers = new ArrayList<>();
            try {
                for (String[] call : OUTAGE_CALLS) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = node.send(call[0], call[1], call[2].isEmpty() ? null : cookie);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    answers.add(took);
                    assertBackendUnavailable(response, call[0] + " " + call[1]);
                    assertThat(took).as(call[0] + " " + call[1]).isLessThan(ANSWER_BOUND);
                }
            } finally {
                redis.resume();
            }
            System.out.printf("Pause (%s): answers during it %s%n", repository, answers);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    node.send("POST", "/increment", cookie).statusCode())
                            .isEqualTo(200));
            assertThat(node.counter(cookie))
                    .as("the increment before the pause and the one after; none answered 503 was saved")
                    .isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fused", "decorator"})
    void aRequestRunningThroughAnOutageLongerThanItsLockTtlIsAnsweredAsTheOutageNotAsALostLock(String repository)
            throws Exception {
        Map<String, String> properties = properties(repository);
        properties.put("session-locking.lock-ttl", "900ms");
        properties.put("session-locking.command-timeout", "400ms");
        properties.put("spring.data.redis.timeout", "400ms");
        try (RedisNode redis = RedisNode.start();
                WebNode node = WebNode.start(redis.port(), properties)) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> inFlight = node.client()
                    .sendAsync(
                            node.request("POST", "/increment?workMillis=3000", cookie, WebNode.REQUEST_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> heldCount(node) == 1);

            redis.kill();

            // Its renewal fails for a whole TTL long before the request saves: the lock is presumed lost, and the save
            // is the outage's 503, not lock_lost (nor, with on-lost-lock: discard, a 200 that dropped the write).
            assertBackendUnavailable(inFlight.get(30, TimeUnit.SECONDS), "the request that ran through the outage");
        }
    }

    /** Method, path, and whether the session's cookie is sent: loads, saves and a new session's first save. */
    private static final String[][] OUTAGE_CALLS = {
        {"GET", "/counter", "cookie"}, {"POST", "/increment", "cookie"}, {"POST", "/session", ""}
    };

    private static void assertBackendUnavailable(HttpResponse<String> response, String description) {
        assertThat(response.statusCode())
                .as(description + ": " + response.body())
                .isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).as(description).contains("\"reason\":\"backend_unavailable\"");
        assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(503);
    }

    /** Polls every 50 ms; every answer before the first success must be the outage's 503. */
    private static Duration firstSuccessAfterRestart(WebNode node) throws Exception {
        long restarted = System.nanoTime();
        while (true) {
            HttpResponse<String> response = node.client()
                    .send(
                            node.request("POST", "/session", null, Duration.ofSeconds(10)),
                            HttpResponse.BodyHandlers.ofString());
            Duration since = Duration.ofNanos(System.nanoTime() - restarted);
            if (response.statusCode() == 200) {
                return since;
            }
            assertBackendUnavailable(response, "a request while the client reconnects");
            assertThat(since).as("still failing").isLessThan(Duration.ofSeconds(20));
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static void sleepUntil(long startNanos, Duration after) throws InterruptedException {
        long left = startNanos + after.toNanos() - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static double storeFailures(WebNode node) throws Exception {
        String metric = node.send("GET", "/actuator/metrics/session.store.failures?tag=committed:false", null)
                .body();
        return JsonPath.<Number>read(metric, "$.measurements[0].value").doubleValue();
    }

    private static int heldCount(WebNode node) throws Exception {
        return JsonPath.<Integer>read(
                node.send("GET", "/actuator/sessionlocks", null).body(), "$.now.heldCount");
    }

    private static Map<String, String> properties(String repository) {
        Map<String, String> properties = new HashMap<>();
        properties.put("session-locking.repository", repository);
        properties.put("session-locking.command-timeout", COMMAND_TIMEOUT.toMillis() + "ms");
        properties.put("spring.data.redis.timeout", COMMAND_TIMEOUT.toMillis() + "ms");
        properties.put("management.endpoints.web.exposure.include", "health,sessionlocks,metrics");
        properties.put("management.endpoint.health.show-details", "always");
        return properties;
    }
}
