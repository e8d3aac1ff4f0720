package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RedisCluster#restore}: brings a cluster back as started, including how fast it fails over a killed master.
 *
 * <p>Roles alone do not give that back. Redis keeps two traces of an election for a while, and a failover in one test
 * would otherwise slow down or break an automatic failover in the next:
 *
 * <ul>
 *   <li>The replica that won keeps the election's state. It starts a new election only four node timeouts after the
 *       last one; and if its master fails within two node timeouts of that election, Redis 7.0 lets it "win" again
 *       with the old election's votes and epoch, without asking anyone (redis/redis#8752). The other nodes know the
 *       master at a newer epoch since the restoring {@code TAKEOVER}, reject the claim, and the master's slots stay
 *       uncovered until it is back. So every node demoted here is restarted, which starts it without election state.
 *   <li>Masters refuse to vote about one master twice within two node timeouts. So a restore that hands slots back
 *       returns no sooner than two node timeouts after it started: every vote cast before it is then that old.
 * </ul>
 */
final class ClusterRestore {

    private ClusterRestore() {}

    static void restore(RedisCluster cluster, Duration timeout) {
        if (cluster.isHealthy() && ClusterHealth.hasRolesAsStarted(cluster)) {
            return;
        }
        long start = System.nanoTime();
        heal(cluster, timeout);
        List<RedisNode> demoted = handBackSlots(cluster, timeout);
        if (demoted.isEmpty()) {
            return;
        }
        awaitRolesAsStarted(cluster, timeout);
        // Each comes back as the replica its nodes.conf records and resynchronises from its master.
        demoted.forEach(RedisNode::restart);
        awaitRolesAsStarted(cluster, timeout);
        Duration voteCooldown = cluster.options().nodeTimeout().multipliedBy(2);
        Duration left = voteCooldown.minusNanos(System.nanoTime() - start);
        if (!left.isNegative()) {
            Waits.pause(left);
        }
    }

    /** Resumes paused nodes, restarts dead ones, lifts replication pauses and waits until the cluster is healthy. */
    private static void heal(RedisCluster cluster, Duration timeout) {
        for (RedisNode node : cluster.nodes()) {
            if (node.isPaused()) {
                node.resume();
            }
            if (!node.isRunning()) {
                node.restart();
            }
        }
        cluster.nodes().forEach(ReplicationBlock::unblock);
        cluster.awaitHealthy(timeout);
    }

    /** @return the masters that gave their slot range back to the node it was started on */
    private static List<RedisNode> handBackSlots(RedisCluster cluster, Duration timeout) {
        List<RedisNode> demoted = new ArrayList<>();
        for (int i = 0; i < RedisCluster.MASTERS; i++) {
            RedisNode initial = cluster.nodes().get(i);
            RedisNode current =
                    cluster.node(cluster.anyView().mastersInSlotOrder().get(i).id());
            if (current != initial) {
                // TAKEOVER needs no vote (a vote may be refused for a while after a recent failover); once the
                // offsets match, and with no client writing between tests, it loses nothing.
                awaitInSync(initial, current, timeout);
                initial.command("CLUSTER", "FAILOVER", "TAKEOVER");
                demoted.add(current);
            }
        }
        return demoted;
    }

    private static void awaitRolesAsStarted(RedisCluster cluster, Duration timeout) {
        boolean restored = Waits.until(
                timeout,
                RedisCluster.HEALTH_POLL_INTERVAL,
                () -> cluster.isHealthy() && ClusterHealth.hasRolesAsStarted(cluster));
        if (!restored) {
            throw new IllegalStateException(
                    "Redis Cluster roles not restored within " + timeout + ":\n" + ClusterHealth.describe(cluster));
        }
    }

    private static void awaitInSync(RedisNode replica, RedisNode master, Duration timeout) {
        boolean synced = Waits.until(timeout, RedisCluster.HEALTH_POLL_INTERVAL, () -> {
            Optional<String> replicaOffset = field(replica, "slave_repl_offset");
            return replicaOffset.isPresent() && replicaOffset.equals(field(master, "master_repl_offset"));
        });
        if (!synced) {
            throw new IllegalStateException(replica + " did not catch up with " + master + " within " + timeout);
        }
    }

    private static Optional<String> field(RedisNode node, String name) {
        return Probes.reply(node, "INFO", "replication")
                .flatMap(info -> info.lines()
                        .filter(line -> line.startsWith(name + ":"))
                        .map(line -> line.substring(name.length() + 1).trim())
                        .findFirst());
    }
}
