package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.spring.redis.LockingRedisSessionRepository;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The problem this library solves, shown end to end: parallel requests of one session each read a counter from the
 * session, work a little and write counter + 1. Without locks updates are lost; with locks none is, on one node or
 * across two nodes sharing one Redis.
 */
class LostUpdateIntegrationTests {

    private static final int PARALLEL_REQUESTS = 50;
    private static final int ROUNDS = 5;

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void lockingLosesNoUpdate() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of())) {
            assertThat(node.context().getBean(SessionRepository.class))
                    .as("the fused repository by default")
                    .isInstanceOf(LockingRedisSessionRepository.class);
            for (int round = 0; round < ROUNDS; round++) {
                String cookie = node.newSession();
                List<Integer> statuses = fire(List.of(node), cookie, 5);
                assertThat(statuses).as("round %d statuses", round).containsOnly(200);
                assertThat(node.counter(cookie)).as("round %d count", round).isEqualTo(PARALLEL_REQUESTS);
            }
        }
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void lockingLosesNoUpdateWithTheDecorator() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of("session-locking.repository", "decorator"))) {
            assertThat(node.context().getBean(SessionRepository.class))
                    .isInstanceOf(SessionLockingRepository.class)
                    .isInstanceOf(RedisSessionRepository.class);
            String cookie = node.newSession();
            assertThat(fire(List.of(node), cookie, 5)).containsOnly(200);
            assertThat(node.counter(cookie)).isEqualTo(PARALLEL_REQUESTS);
        }
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void lockingLosesNoUpdateWithTheIndexedRepository() throws Exception {
        try (WebNode node =
                WebNode.start(redis.node().port(), Map.of("spring.session.data.redis.repository-type", "indexed"))) {
            assertThat(node.context().getBean(SessionRepository.class))
                    .isInstanceOf(SessionLockingRepository.class)
                    .isInstanceOf(FindByIndexNameSessionRepository.class);
            String cookie = node.newSession();
            assertThat(fire(List.of(node), cookie, 5)).containsOnly(200);
            assertThat(node.counter(cookie)).isEqualTo(PARALLEL_REQUESTS);
        }
        HeldLocks.assertNoneLeft(redis.node());
    }

    @Test
    void nonLockingLosesUpdates() throws Exception {
        try (WebNode node = WebNode.start(redis.node().port(), Map.of("session-locking.handler", "non-locking"))) {
            List<Integer> counts = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                String cookie = node.newSession();
                fire(List.of(node), cookie, 20);
                counts.add(node.counter(cookie));
            }
            assertThat(counts)
                    .as("final counts per round")
                    .anySatisfy(count -> assertThat(count).isLessThan(PARALLEL_REQUESTS));
        }
    }

    @Test
    void lockingLosesNoUpdateAcrossTwoNodes() throws Exception {
        try (WebNode first = WebNode.start(redis.node().port(), Map.of());
                WebNode second = WebNode.start(redis.node().port(), Map.of())) {
            for (int round = 0; round < 2; round++) {
                String cookie = first.newSession();
                assertThat(fire(List.of(first, second), cookie, 5)).containsOnly(200);
                assertThat(second.counter(cookie)).isEqualTo(PARALLEL_REQUESTS);
            }
        }
        HeldLocks.assertNoneLeft(redis.node());
    }

    /** Sends the increments all at once, alternating over the nodes; returns the statuses. */
    private static List<Integer> fire(List<WebNode> nodes, String cookie, int workMillis) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < PARALLEL_REQUESTS; i++) {
            WebNode node = nodes.get(i % nodes.size());
            responses.add(node.client()
                    .sendAsync(
                            node.request(
                                    "POST", "/increment?workMillis=" + workMillis, cookie, WebNode.REQUEST_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            statuses.add(response.get(90, TimeUnit.SECONDS).statusCode());
        }
        return statuses;
    }
}
