package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a request can end releases its locks; a request that cannot get the lock gets the configured outcome.
 * Each check looks at Redis itself: no lock key may be left behind.
 */
class RequestLifecycleIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private static WebNode node;

    @BeforeAll
    static void start() {
        node = WebNode.start(redis.node().port(), Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void requestWithoutSessionTakesNoLock() throws Exception {
        assertThat(node.send("GET", "/counter", "SESSION=bm8tc3VjaC1zZXNzaW9u").statusCode())
                .isEqualTo(200);
        assertThat(node.send("GET", "/counter", "SESSION=%7Bmalformed%7D").statusCode())
                .isEqualTo(200);
        assertThat(HeldLocks.count(redis.node())).isZero();
        assertThat(redis.node().command("EXISTS", "spring:session:sessions:no-such-session"))
                .as("no lock state created for an unknown id")
                .isEqualTo("0");
    }

    @Test
    void lockIsHeldDuringTheRequestAndReleasedAfterIt() throws Exception {
        String cookie = node.newSession();
        CompletableFuture<HttpResponse<String>> slow = sendAsync("POST", "/increment?workMillis=1500", cookie);
        HeldLocks.awaitOneHeld(redis.node());
        assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void controllerExceptionReleasesTheLock() throws Exception {
        String cookie = node.newSession();
        assertThat(node.send("GET", "/boom", cookie).statusCode()).isEqualTo(500);
        HeldLocks.assertNoneLeft(redis.node());
        assertThat(node.send("POST", "/increment", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void sendErrorAndErrorPageReleaseTheLock() throws Exception {
        String cookie = node.newSession();
        assertThat(node.send("GET", "/send-error", cookie).statusCode()).isEqualTo(418);
        HeldLocks.assertNoneLeft(redis.node());
        assertThat(node.send("POST", "/increment", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void asyncRequestsHoldTheLockUntilTheyCompleteAndLoseNoUpdate() throws Exception {
        String cookie = node.newSession();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            responses.add(sendAsync("POST", "/increment-async", cookie));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(node.counter(cookie)).isEqualTo(10);
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void clientThatGoesAwayDoesNotKeepTheLock() throws Exception {
        String cookie = node.newSession();
        CompletableFuture<HttpResponse<String>> abandoned = node.client()
                .sendAsync(
                        node.request("POST", "/increment?workMillis=1000", cookie, Duration.ofMillis(200)),
                        HttpResponse.BodyHandlers.ofString());
        try {
            abandoned.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
        }
        HeldLocks.assertNoneLeft(redis.node());
        assertThat(node.send("POST", "/increment", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void loginAndLogoutWithRequestsInFlightLeakNoLock() throws Exception {
        String cookie = node.newSession();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            responses.add(sendAsync("POST", "/increment?workMillis=20", cookie));
        }
        responses.add(sendAsync("POST", "/login", cookie));
        responses.add(sendAsync("POST", "/logout", cookie));
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isLessThan(500);
        }
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void aLoginWithIncrementsInFlightKeepsTheSessionAndEveryIncrement() throws Exception {
        LoginInFlight.loginKeepsTheSessionAndEveryIncrement(node);
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void aLogoutWithIncrementsInFlightEndsTheSession() throws Exception {
        LoginInFlight.logoutEndsTheSessionForEveryLaterRequest(node);
        HeldLocks.assertNoneLeft(redis.node());
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String cookie) {
        return node.client()
                .sendAsync(
                        node.request(method, path, cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
    }
}
