package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.support.SessionIdCorpus;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated corpus of cookie ids ({@link SessionIdCorpus}, seed printed) against both repositories on a real
 * Redis, inside a request (the locking path) and outside one: every id is no session, nothing throws, and Redis stays
 * empty (no session, lock field, queue entry or lock key), with no waiter left and no lock event.
 */
class SessionIdCorpusIntegrationTests {

    private static final int COUNT = 3_000;

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @ParameterizedTest
    @EnumSource(FaultNode.Repository.class)
    void noGeneratedIdFindsASessionOrLeavesLockStateBehind(FaultNode.Repository repository) throws Exception {
        redis.node().flushAll();
        long seed = SessionIdCorpus.seed();
        System.out.println(
                "SessionIdCorpusIntegrationTests seed=" + seed + " (replay with -Dsession-ids.seed=" + seed + ")");
        LockSettings settings =
                LockSettings.builder().timeout(Duration.ofSeconds(2)).build();
        try (FaultNode node = FaultNode.start(repository, redis.node().port(), settings, Duration.ofSeconds(5))) {
            List<String> problems = new ArrayList<>();
            for (String id : SessionIdCorpus.generate(seed, COUNT)) {
                try {
                    if (node.request(id, session -> "found") != null) {
                        problems.add("a request found a session for a generated id");
                    }
                    if (node.repository().findById(id) != null) {
                        problems.add("a session was found outside a request");
                    }
                    node.repository().deleteById(id);
                } catch (RuntimeException e) {
                    problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            assertThat(problems).as("problems over %d ids", COUNT).isEmpty();
            assertThat(redis.node().command("DBSIZE"))
                    .as("nothing written to Redis")
                    .isEqualTo("0");
            assertThat(node.provider().waitingCount()).isZero();
            assertThat(node.listener.acquired).as("no lock taken").isEmpty();
            assertThat(node.listener.failed).as("no lock failure").isEmpty();
        }
    }
}
