package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.spring.redis.LockingRedisSessionRepository;
import io.sessionlocking.testsupport.redis.RedisClusterExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.session.SessionRepository;

/**
 * The fused repository on a 3-master Redis Cluster: every script touches one key (no hash tag, no cross-slot command),
 * so parallel updates lose nothing, and a login, whose old and new ids live in different slots, loses neither the
 * session nor an update.
 */
class ClusterIntegrationTests {

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.perClass();

    private static WebNode node;

    @BeforeAll
    static void start() {
        node = WebNode.startOnCluster(redis.cluster(), Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void parallelIncrementsLoseNothing() throws Exception {
        assertThat(node.context().getBean(SessionRepository.class)).isInstanceOf(LockingRedisSessionRepository.class);
        for (int round = 0; round < 3; round++) {
            String cookie = node.newSession();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                responses.add(node.client()
                        .sendAsync(
                                node.request("POST", "/increment?workMillis=5", cookie, WebNode.REQUEST_TIMEOUT),
                                HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(node.counter(cookie)).as("round %d", round).isEqualTo(30);
        }
        assertNoLocksOnAnyNode();
    }

    @Test
    void aLoginAcrossSlotsKeepsTheSessionAndEveryIncrement() throws Exception {
        LoginInFlight.loginKeepsTheSessionAndEveryIncrement(node);
        assertNoLocksOnAnyNode();
    }

    @Test
    void aLogoutWithIncrementsInFlightEndsTheSession() throws Exception {
        LoginInFlight.logoutEndsTheSessionForEveryLaterRequest(node);
        assertNoLocksOnAnyNode();
    }

    private static void assertNoLocksOnAnyNode() {
        for (RedisNode clusterNode : redis.cluster().nodes()) {
            HeldLocks.assertNoneLeft(clusterNode);
        }
    }
}
