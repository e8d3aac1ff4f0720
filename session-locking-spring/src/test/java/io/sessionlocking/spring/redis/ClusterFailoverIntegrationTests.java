package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.web.HeldLocks;
import io.sessionlocking.spring.web.SessionLockLostException;
import io.sessionlocking.testsupport.redis.FailoverMode;
import io.sessionlocking.testsupport.redis.RedisCluster;
import io.sessionlocking.testsupport.redis.RedisClusterExtension;
import io.sessionlocking.testsupport.redis.RedisClusterOptions;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis Cluster failover while a lock is held, with replication paused so that the last writes never reached the
 * replica: what asynchronous replication loses, and what fencing still refuses.
 *
 * <p>Lost, and undetectable by any lock: an acknowledged save that was on the old master only (the session goes back
 * to what the replica had), and the held lock itself (the promoted replica has no lock field, so another request
 * enters at once while the old holder still runs). Refused: the old holder's save after the failover, since the lock
 * field it is fenced by is gone or another request's.
 */
class ClusterFailoverIntegrationTests {

    /** Long: a request that enters within it did not wait for the old holder's lock to expire; it had vanished. */
    private static final Duration TTL = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisClusterExtension redis =
            RedisClusterExtension.perClass(RedisClusterOptions.defaults().withReplicasPerMaster(1));

    private static LockSettings settings() {
        return LockSettings.builder()
                .lockTtl(TTL)
                .maxRequestTime(Duration.ofSeconds(30))
                .timeout(Duration.ofSeconds(25))
                .build();
    }

    @Test
    void aFailoverLosesTheUnreplicatedWriteAndTheLockAndFencingRefusesTheOldHoldersSave() throws Exception {
        RedisCluster cluster = redis.cluster();
        List<String> seeds =
                cluster.nodes().stream().map(n -> n.host() + ":" + n.port()).toList();
        try (FaultNode first = FaultNode.fusedOnCluster(seeds, settings(), Duration.ofSeconds(5));
                FaultNode second = FaultNode.fusedOnCluster(seeds, settings(), Duration.ofSeconds(5))) {
            String id = first.createSession(Map.of("counter", 0));
            String key = SessionHashes.key(id);
            RedisNode master = cluster.masterOf(key);
            assertThat(master.writeAndWait(1, Duration.ofSeconds(5), "SET", "{" + key + "}:synced", "1"))
                    .as("the new session reached the replica")
                    .isGreaterThanOrEqualTo(1);

            cluster.pauseReplication(master);
            first.request(id, session -> increment(session));
            FaultNode.Held oldHolder = first.hold(id);
            assertThat(oldHolder.session.<Integer>getAttribute("counter"))
                    .as("the acknowledged save, on the master only")
                    .isEqualTo(1);

            RedisNode promoted = cluster.failover(key, FailoverMode.TAKEOVER);
            assertThat(promoted).isNotEqualTo(master);

            long start = System.nanoTime();
            Integer seen = second.request(id, session -> increment(session) - 1);
            Duration entered = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("RESULT cluster-failover-entry-while-held-ms=" + entered.toMillis() + " (ttl "
                    + TTL.toMillis() + " ms)");

            assertThat(entered)
                    .as("the held lock vanished with the failover: the next request entered without waiting")
                    .isLessThan(TTL.dividedBy(2));
            assertThat(seen)
                    .as("the acknowledged save vanished too: the replica's state came back")
                    .isZero();

            oldHolder.session.setAttribute("counter", 2);
            assertThatThrownBy(oldHolder::save)
                    .as("the old holder's save is fenced out: its lock field is another request's now")
                    .isInstanceOf(SessionLockLostException.class);
            oldHolder.end();
            assertThat(second.read(id).<Integer>getAttribute("counter"))
                    .as("the newer request's write stands")
                    .isEqualTo(1);
            HeldLocks.assertNoneLeft(promoted);
        }
    }

    private static int increment(org.springframework.session.Session session) {
        int value = (Integer) session.getAttribute("counter") + 1;
        session.setAttribute("counter", value);
        return value;
    }
}
