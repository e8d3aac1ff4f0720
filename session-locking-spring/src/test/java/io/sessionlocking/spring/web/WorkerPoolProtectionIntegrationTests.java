package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.actuate.SessionLockStatistics;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker pool survives what the seeds describe, on a real Tomcat and a real Redis: a flood of one session is cut at
 * its waiter cap with 429s and one log line, a node whose waiters reach its cap answers 503 at once whatever {@code
 * on-timeout} says, a client that goes away while its request waits frees its worker within a retry delay and never
 * saves, and an observer that throws after the lock was granted does not keep the lock.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerPoolProtectionIntegrationTests {

    /** Slack for a loaded 2-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void theNodeCapIsHalfOfTomcatsWorkerThreadsUnlessSet() {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of())) {
            assertThat(provider(node).settings().maxWaitersPerNode())
                    .as("half of server.tomcat.threads.max=120")
                    .isEqualTo(60);
        }
        try (WebNode node = WebNode.start(redis.node().port(), Map.of("session-locking.max-waiters-per-node", "7"))) {
            assertThat(provider(node).settings().maxWaitersPerNode()).isEqualTo(7);
        }
    }

    @Test
    void aFloodOfOneSessionParksAtMostItsCapAnswers429AndLogsOneLine(CapturedOutput output) throws Exception {
        int flood = 300;
        try (WebNode node = WebNode.start(
                redis.node().port(),
                Map.of("session-locking.max-waiters-per-session", "16", "server.tomcat.threads.max", "200"))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie, 2000);
            SessionLockProvider provider = provider(node);
            AtomicInteger mostWaiting = new AtomicInteger();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    mostWaiting.accumulateAndGet(provider.waitingCount(), Math::max);
                    Thread.onSpinWait();
                }
            });
            sampler.start();
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                requests.add(node.client()
                        .sendAsync(
                                node.request("POST", "/increment?workMillis=0", cookie, WebNode.REQUEST_TIMEOUT),
                                HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int tooMany = 0;
            for (CompletableFuture<HttpResponse<String>> request : requests) {
                HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(429);
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(response.body()).contains("\"reason\":\"too_many_waiters\"");
                    tooMany++;
                }
            }
            sampling.set(false);
            sampler.join(10_000);
            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            assertThat(mostWaiting.get()).as("threads parked at once").isBetween(1, 16);
            assertThat(ok + tooMany).isEqualTo(flood);
            assertThat(tooMany).as("refused at once").isGreaterThanOrEqualTo(flood - 100);
            assertThat(node.counter(cookie))
                    .as("every admitted request saved, none of the refused ones")
                    .isEqualTo(1 + ok);
            long lines = output.getOut()
                    .lines()
                    .filter(line -> line.contains("Could not lock session"))
                    .count();
            assertThat(lines).as("WARN lines for %d refusals", tooMany).isBetween(1L, 2L);
        }
    }

    @Test
    void aSaturatedNodeAnswers503AtOnceWhateverOnTimeoutSays() throws Exception {
        try (WebNode node = WebNode.start(
                redis.node().port(),
                Map.of("session-locking.max-waiters-per-node", "2", "session-locking.on-timeout", "proceed"))) {
            String cookie = node.newSession();
            String other = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie, 2000);
            List<CompletableFuture<HttpResponse<String>>> waiting = List.of(
                    node.client()
                            .sendAsync(
                                    node.request("POST", "/increment?workMillis=0", cookie, WebNode.REQUEST_TIMEOUT),
                                    HttpResponse.BodyHandlers.ofString()),
                    node.client()
                            .sendAsync(
                                    node.request("POST", "/increment?workMillis=0", cookie, WebNode.REQUEST_TIMEOUT),
                                    HttpResponse.BodyHandlers.ofString()));
            await().atMost(Duration.ofSeconds(10)).until(() -> provider(node).waitingCount() == 2);

            long start = System.nanoTime();
            HttpResponse<String> refused = node.send("POST", "/increment?workMillis=0", cookie);
            assertThat(refused.statusCode())
                    .as("503: the server is busy, whoever asks")
                    .isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("\"reason\":\"node_saturated\"");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("refused at once, not after the holder")
                    .isLessThan(MARGIN);
            assertThat(node.send("POST", "/increment?workMillis=0", other).statusCode())
                    .as("a session whose lock is free is served")
                    .isEqualTo(200);

            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            for (CompletableFuture<HttpResponse<String>> request : waiting) {
                assertThat(request.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(node.counter(cookie))
                    .as("the refused request neither ran unlocked (proceed) nor saved")
                    .isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fused", "decorator"})
    void aClientThatGoesAwayWhileWaitingFreesItsWorkerAndNeverSaves(String repository) throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of("session-locking.repository", repository))) {
            String cookie = node.newSession();
            CompletableFuture<HttpResponse<String>> holder = holdLock(node, cookie, 4000);
            SessionLockProvider provider = provider(node);
            Duration retryDelay = provider.settings().retryDelay();

            // One without a body (no Content-Length), one with an empty one: both finished reading, so both checked.
            for (String framing : List.of("", "Content-Length: 0\r\n")) {
                try (Socket socket = new Socket("127.0.0.1", node.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /increment?workMillis=0 HTTP/1.1\r\nHost: localhost\r\nCookie: " + cookie + "\r\n"
                                    + framing + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    await().atMost(Duration.ofSeconds(10)).until(() -> provider.waitingCount() == 1);
                }
                long goneAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> provider.waitingCount() == 0);
                assertThat(Duration.ofNanos(System.nanoTime() - goneAt))
                        .as("the worker is free within a retry delay, long before the holder's 4 s")
                        .isLessThan(retryDelay.plus(MARGIN));
            }
            assertThat(holder.isDone()).as("the holder still runs").isFalse();

            assertThat(holder.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(node.counter(cookie))
                    .as("only the holder saved: the abandoned requests never took the lock")
                    .isEqualTo(1);
            assertThat(node.context().getBean(SessionLockStatistics.class).failures())
                    .containsEntry("abandoned", 2L)
                    .containsEntry("timeout", 0L);
            HeldLocks.assertNoneLeft(redis.node());
        }
    }

    @Test
    void aWaitObserverThatThrowsAfterTheLockWasGrantedDoesNotKeepIt() throws Exception {
        try (WebNode node =
                WebNode.start(redis.node().port(), Map.of("session-locking.lock-ttl", "20s"), BrokenObservers.class)) {
            String cookie = node.newSession();
            BrokenObservers broken = node.context().getBean(BrokenObservers.class);

            broken.failWait.set(true);
            assertThat(node.send("POST", "/increment?workMillis=0", cookie).statusCode())
                    .isEqualTo(500);
            broken.failWait.set(false);
            assertThat(HeldLocks.count(redis.node())).as("released at once").isZero();

            broken.failHold.set(true);
            assertThat(node.send("POST", "/increment?workMillis=0", cookie).statusCode())
                    .isEqualTo(500);
            broken.failHold.set(false);
            assertThat(HeldLocks.count(redis.node())).as("released at once").isZero();

            long start = System.nanoTime();
            HttpResponse<String> next = node.send("POST", "/increment?workMillis=0", cookie);
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the next request gets the lock at once, not after the 20 s TTL")
                    .isLessThan(MARGIN);
            assertThat(next.body()).as("the failed requests saved nothing").isEqualTo("1");
        }
    }

    /** A wait observer and an activity observer that throw on demand, after the lock was granted. */
    @Configuration(proxyBeanMethods = false)
    static class BrokenObservers {

        final AtomicBoolean failWait = new AtomicBoolean();
        final AtomicBoolean failHold = new AtomicBoolean();

        @Bean
        LockWaitObserver brokenWaitObserver() {
            return new LockWaitObserver() {
                @Override
                public <T> T observe(String maskedSessionId, Supplier<T> acquisition) {
                    T acquired = acquisition.get();
                    if (failWait.get()) {
                        throw new IllegalStateException("the tracing backend broke");
                    }
                    return acquired;
                }
            };
        }

        @Bean
        SessionLockActivity.Observer brokenHoldObserver() {
            return new SessionLockActivity.Observer() {
                @Override
                public void onHoldStarted(SessionLockActivity.Entry entry) {
                    if (failHold.get()) {
                        throw new IllegalStateException("the metrics binding broke");
                    }
                }
            };
        }
    }

    private static SessionLockProvider provider(WebNode node) {
        return node.context().getBean(SessionLockProvider.class);
    }

    /** Starts a request that holds the session's lock for {@code millis}, and waits until it holds it. */
    private static CompletableFuture<HttpResponse<String>> holdLock(WebNode node, String cookie, long millis) {
        CompletableFuture<HttpResponse<String>> holder = node.client()
                .sendAsync(
                        node.request("POST", "/increment?workMillis=" + millis, cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
        HeldLocks.awaitOneHeld(redis.node());
        return holder;
    }
}
