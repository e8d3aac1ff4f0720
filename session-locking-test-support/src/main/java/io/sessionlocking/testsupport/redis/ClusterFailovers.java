package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The failovers of {@link RedisCluster}: promotion and waiting for an automatic failover; see {@link ClusterRestore}. */
final class ClusterFailovers {

    private ClusterFailovers() {}

    /**
     * A manual failover that has not completed by then is given up by Redis (5 s) and must be asked for again; a vote
     * can also be refused for up to twice the node timeout after an earlier election about the same master.
     */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);

    static RedisNode promote(RedisCluster cluster, RedisNode replica, int slot, FailoverMode mode, Duration timeout) {
        if (replica.isPaused()) {
            replica.resume();
        }
        List<String> command = new ArrayList<>(List.of("CLUSTER", "FAILOVER"));
        if (mode != FailoverMode.GRACEFUL) {
            command.add(mode.name());
        }
        String id = cluster.id(replica);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            replica.command(command.toArray(String[]::new));
            Duration attempt = min(ATTEMPT_TIMEOUT, Duration.ofNanos(deadline - System.nanoTime()));
            boolean done = Waits.until(
                    attempt,
                    RedisCluster.HEALTH_POLL_INTERVAL,
                    () -> ownersSeenByOthers(cluster, slot, null).equals(Optional.of(Set.of(id))));
            if (done) {
                return replica;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(replica + " did not take over slot " + slot + " (" + mode + ") within "
                        + timeout + ":\n" + ClusterHealth.describe(cluster));
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static RedisNode awaitOtherMaster(RedisCluster cluster, int slot, RedisNode oldMaster, Duration timeout) {
        String oldId = cluster.id(oldMaster);
        String[] owner = new String[1];
        boolean done = Waits.until(timeout, RedisCluster.HEALTH_POLL_INTERVAL, () -> {
            Optional<Set<String>> owners = ownersSeenByOthers(cluster, slot, oldMaster);
            if (owners.isEmpty() || owners.get().size() != 1 || owners.get().contains(oldId)) {
                return false;
            }
            owner[0] = owners.get().iterator().next();
            return true;
        });
        if (!done) {
            throw new IllegalStateException("No node took over slot " + slot + " from " + oldMaster + " within "
                    + timeout + ":\n" + ClusterHealth.describe(cluster));
        }
        return cluster.node(owner[0]);
    }

    /**
     * The ids that reachable nodes other than {@code excluded} see serving {@code slot}; empty unless every one of them
     * reports {@code cluster_state:ok} and sees some owner, and at least one is reachable.
     */
    private static Optional<Set<String>> ownersSeenByOthers(
            RedisCluster cluster, int slot, @Nullable RedisNode excluded) {
        Set<String> owners = new HashSet<>();
        for (RedisNode node : cluster.nodes()) {
            if (node == excluded) {
                continue;
            }
            Optional<String> info = Probes.reply(node, "CLUSTER", "INFO");
            if (info.isEmpty()) {
                continue; // down or paused: not asked
            }
            Optional<ClusterView.Entry> seen = RedisCluster.view(node).flatMap(view -> view.masterOf(slot));
            if (!info.get().contains("cluster_state:ok") || seen.isEmpty()) {
                return Optional.empty();
            }
            owners.add(seen.get().id());
        }
        return owners.isEmpty() ? Optional.empty() : Optional.of(owners);
    }
}
