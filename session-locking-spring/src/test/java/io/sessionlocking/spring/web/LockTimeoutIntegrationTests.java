package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a request that cannot get its session's lock sees, per {@code session-locking.on-timeout}; and renewal. */
class LockTimeoutIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void failAnswers503WithRetryAfterAndAProblemBody() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of("session-locking.timeout", "300ms"))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie);

            HttpResponse<String> waiter = node.send("POST", "/increment", cookie);

            assertThat(waiter.statusCode()).isEqualTo(503);
            assertThat(waiter.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(waiter.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(waiter.body())
                    .contains("\"reason\":\"timeout\"", "LockCouldNotBeAcquiredException")
                    .doesNotContain(sessionIdOf(cookie));
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(node.counter(cookie)).isEqualTo(1);
        }
    }

    @Test
    void readOnlyServesTheSessionButDiscardsItsWrites() throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                Map.of("session-locking.timeout", "300ms", "session-locking.on-timeout", "read-only"))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie);

            HttpResponse<String> waiter = node.send("POST", "/increment", cookie);

            assertThat(waiter.statusCode()).isEqualTo(200);
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(node.counter(cookie))
                    .as("only the lock holder's write counts")
                    .isEqualTo(1);
        }
    }

    @Test
    void readOnlyNeverHidesAWaiterCapRejectionBehindASuccess() throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                Map.of(
                        "session-locking.timeout", "10s",
                        "session-locking.on-timeout", "read-only",
                        "session-locking.max-waiters-per-session", "1"))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie);
            CompletableFuture<HttpResponse<String>> waiter = node.client()
                    .sendAsync(
                            node.request("POST", "/increment?workMillis=0", cookie, WebNode.REQUEST_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString());
            SessionLockProvider provider = node.context().getBean(SessionLockProvider.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> provider.waitingCount() == 1);

            HttpResponse<String> overTheCap = node.send("POST", "/increment?workMillis=0", cookie);

            assertThat(overTheCap.statusCode())
                    .as("429: this client sends too much at once")
                    .isEqualTo(429);
            assertThat(overTheCap.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(overTheCap.body()).contains("\"reason\":\"too_many_waiters\"");
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(waiter.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(node.counter(cookie))
                    .as("the holder and the waiter wrote; the rejected request did not pretend to")
                    .isEqualTo(2);
        }
    }

    @Test
    void proceedServesAndSavesWithoutTheLock() throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                Map.of("session-locking.timeout", "300ms", "session-locking.on-timeout", "proceed"))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie);

            HttpResponse<String> waiter = node.send("POST", "/increment?workMillis=0", cookie);

            assertThat(waiter.statusCode()).isEqualTo(200);
            assertThat(waiter.body()).isEqualTo("1");
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void renewalKeepsTheLockOfARequestRunningThreeTimesTheTtl() throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                Map.of(
                        "session-locking.lock-ttl", "600ms",
                        "session-locking.command-timeout", "400ms",
                        "session-locking.retry-delay", "5ms"))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> slow = node.client()
                    .sendAsync(
                            node.request("POST", "/increment?workMillis=1800", cookie, WebNode.REQUEST_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString());
            awaitLockTaken();

            HttpResponse<String> next = node.send("POST", "/increment?workMillis=0", cookie);

            assertThat(slow.get(30, TimeUnit.SECONDS).body()).isEqualTo("1");
            assertThat(next.body())
                    .as("the second request entered only after the first saved")
                    .isEqualTo("2");
            assertThat(node.counter(cookie)).isEqualTo(2);
        }
    }

    @Test
    void botsAreServedReadOnlyWithoutWaitingAndTheirWritesAreDropped() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of())) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie);

            long start = System.nanoTime();
            HttpResponse<String> bot = node.client()
                    .send(
                            node.request(
                                    "POST",
                                    "/increment?workMillis=0",
                                    cookie,
                                    WebNode.REQUEST_TIMEOUT,
                                    "User-Agent",
                                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(bot.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the bot did not wait for the 1.5 s holder")
                    .isLessThan(Duration.ofMillis(1200));
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(node.counter(cookie))
                    .as("only the holder's write was saved")
                    .isEqualTo(1);
        }
    }

    /** Starts a request that holds the session's lock for 1.5 s, and waits until it holds it. */
    private static CompletableFuture<HttpResponse<String>> holdLock(WebNode node, String cookie) {
        CompletableFuture<HttpResponse<String>> holder = node.client()
                .sendAsync(
                        node.request("POST", "/increment?workMillis=1500", cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
        awaitLockTaken();
        return holder;
    }

    private static void awaitLockTaken() {
        HeldLocks.awaitOneHeld(redis.node());
    }

    private static String sessionIdOf(String cookie) {
        String encoded = cookie.substring(cookie.indexOf('=') + 1);
        return new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
    }
}
