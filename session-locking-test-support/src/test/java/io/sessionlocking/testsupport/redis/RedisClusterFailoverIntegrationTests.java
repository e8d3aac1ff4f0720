package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three masters with one replica each; every test starts from the roles as started (the extension restores them). */
class RedisClusterFailoverIntegrationTests {

    /** Shorter than the default so that the automatic failover test stays short; still far above a loaded pause. */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    private static final Duration FAILOVER = Duration.ofSeconds(30);

    private static final Duration ACKNOWLEDGEMENT = Duration.ofSeconds(10);

    /** In the second master's range (5461-10921). */
    private static final String KEY = "key1";

    /** In the slot of {@link #KEY}, through its hash tag. */
    private static final String KEY_IN_THE_SAME_SLOT = "{key1}:other";

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.perClass(
            RedisClusterOptions.defaults().withReplicasPerMaster(1).withNodeTimeout(NODE_TIMEOUT));

    @BeforeEach
    void empty(RedisCluster cluster) {
        cluster.flushAll();
    }

    @Test
    void startsThreeMastersEachReplicatedToItsOwnReplica(RedisCluster cluster) {
        assertThat(cluster.nodes()).hasSize(6);
        assertThat(cluster.masters()).containsExactlyElementsOf(cluster.nodes().subList(0, 3));
        for (int i = 0; i < 3; i++) {
            RedisNode master = cluster.nodes().get(i);
            RedisNode replica = cluster.nodes().get(i + 3);
            assertThat(cluster.replicasOf(master)).containsExactly(replica);
            assertThat(replica.command("ROLE")).startsWith("slave");
        }
        RedisNode master = cluster.masterOf(KEY);
        assertThat(master).isEqualTo(cluster.nodes().get(1));

        assertThat(master.writeAndWait(1, ACKNOWLEDGEMENT, "SET", KEY, "v"))
                .as("replicas acknowledging")
                .isEqualTo(1);
        assertThat(cluster.nodes().get(4).command("DBSIZE")).isEqualTo("1");
    }

    @Test
    void takeoverAfterPausedReplicationLosesAWriteTheMasterAcknowledged(RedisCluster cluster) {
        RedisNode master = cluster.masterOf(KEY);
        RedisNode replica = cluster.replicasOf(master).get(0);
        cluster.pauseReplication(master);

        assertThat(master.writeAndWait(1, Duration.ofMillis(200), "SET", KEY, "acknowledged"))
                .as("acknowledged by the master, by no replica")
                .isZero();

        RedisNode promoted = cluster.failover(KEY, FailoverMode.TAKEOVER);

        assertThat(promoted).isEqualTo(replica);
        assertThat(cluster.masterOf(KEY)).isEqualTo(replica);
        assertThat(promoted.command("GET", KEY)).as("never replicated").isNull();
        // The old master rejoins as a replica of the promoted node and drops the write in the full resync.
        await().atMost(FAILOVER)
                .until(() -> cluster.replicasOf(promoted).contains(master)
                        && String.valueOf(master.command("INFO", "replication")).contains("master_link_status:up"));
        assertThat(master.command("DBSIZE")).isEqualTo("0");

        cluster.restore(FAILOVER);

        assertThat(cluster.masters()).containsExactlyElementsOf(cluster.nodes().subList(0, 3));
        assertThat(cluster.isHealthy()).isTrue();
    }

    @Test
    void pausedReplicationCatchesUpWhenResumed(RedisCluster cluster) {
        RedisNode master = cluster.masterOf(KEY);
        RedisNode replica = cluster.replicasOf(master).get(0);
        cluster.pauseReplication(master);
        master.command("SET", KEY, "late");
        assertThat(replica.isPaused()).isTrue();

        cluster.resumeReplication(master);

        cluster.awaitHealthy(FAILOVER);
        // Replication is ordered: a replica that acknowledges a later write has the paused one too.
        assertThat(master.writeAndWait(1, ACKNOWLEDGEMENT, "SET", KEY_IN_THE_SAME_SLOT, "after"))
                .isEqualTo(1);
        assertThat(replica.command("DBSIZE")).isEqualTo("2");
    }

    @Test
    void gracefulFailoverKeepsAcknowledgedWritesAndLettuceFollowsIt(RedisCluster cluster) {
        // Default options: the client learns the new topology from the MOVED redirect alone.
        RedisClusterClient client = RedisClusterClient.create(
                cluster.uris().stream().map(RedisURI::create).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            connection.sync().set(KEY, "kept");
            RedisNode replica = cluster.replicasOf(cluster.masterOf(KEY)).get(0);

            RedisNode promoted = cluster.failover(KEY, FailoverMode.GRACEFUL);

            assertThat(promoted).isEqualTo(replica);
            assertThat(promoted.command("GET", KEY)).isEqualTo("kept");
            await().atMost(FAILOVER)
                    .ignoreExceptions()
                    .until(() -> "OK".equals(connection.sync().set(KEY, "after")));
            assertThat(promoted.command("GET", KEY)).isEqualTo("after");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void killedMasterIsReplacedByItsReplicaAfterTheNodeTimeout(RedisCluster cluster) {
        RedisNode master = cluster.masterOf(KEY);
        RedisNode replica = cluster.replicasOf(master).get(0);
        // As after an earlier test's failover, whatever the test order: the restore must leave no election state
        // behind that delays or blocks this failover.
        cluster.failover(KEY, FailoverMode.GRACEFUL);
        cluster.restore(FAILOVER);
        assertThat(cluster.masterOf(KEY)).isEqualTo(master);
        long start = System.nanoTime();

        master.kill();
        RedisNode promoted = cluster.awaitFailover(KEY, master, FAILOVER);

        assertThat(promoted).isEqualTo(replica);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(NODE_TIMEOUT);
        assertThat(promoted.command("SET", KEY, "on the new master")).isEqualTo("OK");
    }
}
