package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A slow request's lock is taken away while it runs (released by force, then taken by the next request): its renewal
 * finds the lock no longer its own, the request's lock becomes lost, and its save writes nothing and follows {@code
 * on-lost-lock} (503 {@code lock_lost}, or 200 with the write dropped), as a fenced save that finds the lock gone
 * does. Logged once, by the renewal.
 */
@ExtendWith(OutputCaptureExtension.class)
class LostRenewalIntegrationTests {

    /** Deletes every session lock: the lock fields of the fused repository's hashes and the decorator's lock keys. */
    private static final String FORCE_RELEASE = "for _, key in ipairs(redis.call('keys', 'spring:session:lock:*')) do "
            + "  if redis.call('type', key)['ok'] == 'list' then redis.call('del', key) end "
            + "end "
            + "for _, key in ipairs(redis.call('keys', 'spring:session:sessions:*')) do "
            + "  if redis.call('type', key)['ok'] == 'hash' then "
            + "    for _, field in ipairs(redis.call('hkeys', key)) do "
            + "      if string.find(field, 'sessionLock:', 1, true) == 1 then redis.call('hdel', key, field) end "
            + "    end "
            + "  end "
            + "end "
            + "return 0";

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void withFailTheSaveIsRefusedWith503AndTheNewerWriteStands(CapturedOutput output) throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), renewed("fail"))) {
            HttpResponse<String> stale = takenAwayRound(node);

            assertThat(stale.statusCode()).isEqualTo(503);
            assertThat(stale.body()).contains("\"reason\":\"lock_lost\"");
        }
        assertLoggedOnceByTheRenewal(output);
    }

    @Test
    void withDiscardTheWriteIsDroppedAndTheRequestSucceeds(CapturedOutput output) throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), renewed("discard"))) {
            assertThat(takenAwayRound(node).statusCode()).isEqualTo(200);
        }
        assertLoggedOnceByTheRenewal(output);
    }

    /** The slow request's response, after checking that only the newer request's increment landed. */
    private static HttpResponse<String> takenAwayRound(WebNode node) throws Exception {
        String cookie = node.newSession();
        CompletableFuture<HttpResponse<String>> slow = node.client()
                .sendAsync(
                        node.request("POST", "/increment?workMillis=2000", cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
        HeldLocks.awaitOneHeld(redis.node());
        redis.node().command("EVAL", FORCE_RELEASE, "0");

        HttpResponse<String> newer = node.send("POST", "/increment?workMillis=0", cookie);
        assertThat(newer.statusCode()).isEqualTo(200);
        assertThat(newer.body()).as("entered at once, the lock being free").isEqualTo("1");

        HttpResponse<String> slowResponse = slow.get(30, TimeUnit.SECONDS);
        assertThat(node.counter(cookie))
                .as("the slow request's increment was not written")
                .isEqualTo(1);
        HeldLocks.assertNoneLeft(redis.node());
        return slowResponse;
    }

    private static void assertLoggedOnceByTheRenewal(CapturedOutput output) {
        String logs = output.getOut() + output.getErr();
        assertThat(logs.split("was lost while POST /increment held it", -1))
                .as("one warning, from the renewal")
                .hasSize(2);
        assertThat(logs).doesNotContain("was lost before POST /increment saved it");
    }

    private static Map<String, String> renewed(String onLostLock) {
        return Map.of(
                "session-locking.lock-ttl", "600ms",
                "session-locking.command-timeout", "400ms",
                "session-locking.retry-delay", "5ms",
                "session-locking.on-lost-lock", onLostLock);
    }
}
