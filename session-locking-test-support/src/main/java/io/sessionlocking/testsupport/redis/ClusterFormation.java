package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires freshly started cluster-enabled nodes into a cluster, as {@code redis-cli --cluster create} does: distinct
 * config epochs, the 16384 slots split evenly over the masters, {@code CLUSTER MEET}, then {@code CLUSTER REPLICATE}
 * for each replica once it knows its master. Returns without waiting for the cluster to be healthy.
 */
final class ClusterFormation {

    private static final int ADDSLOTS_CHUNK = 1000;

    private ClusterFormation() {}

    /**
     * @param replicas replica {@code i} replicates master {@code i % masters.size()}
     * @return the node ids, in the order of {@code masters} then {@code replicas}
     * @throws IllegalStateException if the nodes do not all know each other within {@code timeout}
     */
    static List<String> form(List<RedisNode> masters, List<RedisNode> replicas, Duration timeout) {
        for (int i = 0; i < masters.size(); i++) {
            RedisNode master = masters.get(i);
            // Distinct epochs up front, as redis-cli --cluster create does, so no epoch collision has to be resolved.
            master.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
            int first = i * ClusterSlots.COUNT / masters.size();
            int last = (i + 1) * ClusterSlots.COUNT / masters.size() - 1;
            assignSlots(master, first, last);
        }
        List<RedisNode> all = new ArrayList<>(masters);
        all.addAll(replicas);
        RedisNode first = all.get(0);
        for (RedisNode other : all.subList(1, all.size())) {
            first.command("CLUSTER", "MEET", other.host(), Integer.toString(other.port()));
        }
        List<String> ids =
                all.stream().map(node -> node.command("CLUSTER", "MYID")).toList();
        if (!replicas.isEmpty()) {
            // CLUSTER REPLICATE only accepts a master the replica already knows through gossip.
            awaitAllKnown(all, timeout);
            for (int i = 0; i < replicas.size(); i++) {
                replicas.get(i).command("CLUSTER", "REPLICATE", ids.get(i % masters.size()));
            }
        }
        return ids;
    }

    private static void awaitAllKnown(List<RedisNode> nodes, Duration timeout) {
        String known = "cluster_known_nodes:" + nodes.size() + "\r\n";
        boolean met = Waits.until(
                timeout,
                RedisCluster.HEALTH_POLL_INTERVAL,
                () -> nodes.stream()
                        .allMatch(node ->
                                String.valueOf(node.command("CLUSTER", "INFO")).contains(known)));
        if (!met) {
            throw new IllegalStateException("Cluster nodes did not all meet within " + timeout);
        }
    }

    /** ADDSLOTSRANGE exists from Redis 7.0; the embedded 6.2 binary needs ADDSLOTS, sent in chunks. */
    private static void assignSlots(RedisNode node, int first, int last) {
        try {
            node.command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
            return;
        } catch (RedisReplyException e) {
            // unknown subcommand before 7.0: fall through
        }
        for (int start = first; start <= last; start += ADDSLOTS_CHUNK) {
            int end = Math.min(last, start + ADDSLOTS_CHUNK - 1);
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = start; slot <= end; slot++) {
                command.add(Integer.toString(slot));
            }
            node.command(command.toArray(String[]::new));
        }
    }
}
