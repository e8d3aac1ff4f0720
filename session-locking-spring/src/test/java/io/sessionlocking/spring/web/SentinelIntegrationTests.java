package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sessionlocking.spring.redis.LockingRedisSessionRepository;
import io.sessionlocking.testsupport.redis.RedisNode;
import io.sessionlocking.testsupport.redis.RedisSentinelGroup;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.session.SessionRepository;

/**
 * Redis Sentinel through Spring Boot's standard {@code spring.data.redis.sentinel.*} properties: the fused repository
 * locks on the master the sentinels name, parallel increments lose nothing, and after a Sentinel failover (the replica
 * promoted, the old master demoted) requests find the new master and lose nothing either.
 */
class SentinelIntegrationTests {

    private static final int PARALLEL = 20;

    @Test
    void lockingWorksAndSurvivesASentinelFailover() throws Exception {
        assumeTrue(
                RedisSentinelGroup.isAvailable(),
                () -> "skipped: " + RedisSentinelGroup.unavailableReason().orElse(""));
        try (RedisSentinelGroup sentinel = RedisSentinelGroup.start();
                WebNode node = WebNode.startOnSentinel(sentinel, Map.of("spring.data.redis.timeout", "2s"))) {
            assertThat(node.context().getBean(SessionRepository.class))
                    .isInstanceOf(LockingRedisSessionRepository.class);
            String cookie = node.newSession();
            assertThat(fire(node, cookie)).containsOnly(200);
            assertThat(node.counter(cookie)).isEqualTo(PARALLEL);
            RedisNode oldMaster = sentinel.master();
            assertThat(oldMaster.writeAndWait(1, Duration.ofSeconds(5), "SET", "synced", "1"))
                    .as("every write so far reached the replica")
                    .isEqualTo(1);

            RedisNode promoted = sentinel.failover();
            long failedOverAt = System.nanoTime();
            assertThat(promoted).isNotEqualTo(oldMaster);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> node.send("GET", "/peek", cookie).body().equals("counter=" + PARALLEL));
            Duration recovered = Duration.ofNanos(System.nanoTime() - failedOverAt);
            System.out.println("RESULT sentinel-failover-recovery-ms=" + recovered.toMillis());

            assertThat(fire(node, cookie)).containsOnly(200);
            assertThat(node.counter(cookie))
                    .as("no update lost on the new master")
                    .isEqualTo(2 * PARALLEL);
            HeldLocks.assertNoneLeft(promoted);
        }
    }

    private static List<Integer> fire(WebNode node, String cookie) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            responses.add(node.client()
                    .sendAsync(
                            node.request("POST", "/increment?workMillis=5", cookie, WebNode.REQUEST_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            statuses.add(response.get(90, TimeUnit.SECONDS).statusCode());
        }
        return statuses;
    }
}
