package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fencing end to end: a request stalls past its lock's TTL with renewal off, another request takes the lock and saves,
 * then the stale request saves. The stale write is refused every round; {@code on-lost-lock} decides only what its
 * client sees (503 {@code lock_lost}, or 200 with the write dropped). The counter always shows the newer write.
 */
class FencingIntegrationTests {

    private static final int ROUNDS = 5;

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void aStaleWriteFailsTheRequestWithFail() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), staleLocks("fail"))) {
            for (int round = 0; round < ROUNDS; round++) {
                HttpResponse<String> stale = staleRound(node, round);
                assertThat(stale.statusCode()).as("round %d", round).isEqualTo(503);
                assertThat(stale.body()).contains("\"reason\":\"lock_lost\"");
                assertThat(stale.headers().firstValue("Retry-After")).isPresent();
            }
        }
    }

    @Test
    void aStaleWriteIsDroppedWithDiscard() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), staleLocks("discard"))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertThat(staleRound(node, round).statusCode())
                        .as("round %d", round)
                        .isEqualTo(200);
            }
        }
    }

    /** One round: returns the stale request's response after checking that only the newer write landed. */
    private static HttpResponse<String> staleRound(WebNode node, int round) throws Exception {
        String cookie = node.newSession();
        CompletableFuture<HttpResponse<String>> stale = node.client()
                .sendAsync(
                        node.request("POST", "/increment?workMillis=900", cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
        HeldLocks.awaitOneHeld(redis.node());

        HttpResponse<String> newer = node.send("POST", "/increment?workMillis=0", cookie);

        assertThat(newer.statusCode()).isEqualTo(200);
        assertThat(newer.body())
                .as("round %d: the newer request took the expired lock", round)
                .isEqualTo("1");
        HttpResponse<String> staleResponse = stale.get(30, TimeUnit.SECONDS);
        assertThat(node.counter(cookie))
                .as("round %d: the stale write was refused", round)
                .isEqualTo(1);
        HeldLocks.assertNoneLeft(redis.node());
        return staleResponse;
    }

    private static Map<String, String> staleLocks(String onLostLock) {
        return Map.of(
                "session-locking.renew", "false",
                "session-locking.lock-ttl", "200ms",
                "session-locking.retry-delay", "5ms",
                "session-locking.on-lost-lock", onLostLock);
    }
}
