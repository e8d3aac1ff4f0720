package io.sessionlocking.testsupport.redis;

import io.sessionlocking.testsupport.redis.ClusterView.Entry;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The health checks of {@link RedisCluster}, each a snapshot read from the servers (a few commands per node). */
final class ClusterHealth {

    private ClusterHealth() {}

    /** See {@link RedisCluster#isHealthy()}. */
    static boolean isHealthy(RedisCluster cluster) {
        List<RedisNode> nodes = cluster.nodes();
        String known = "cluster_known_nodes:" + nodes.size() + "\r\n";
        ClusterView agreed = null;
        for (RedisNode node : nodes) {
            Optional<String> info = Probes.reply(node, "CLUSTER", "INFO");
            if (info.isEmpty()
                    || !info.get().contains("cluster_state:ok")
                    || !info.get().contains(known)) {
                return false;
            }
            Optional<ClusterView> view = RedisCluster.view(node);
            if (view.isEmpty() || view.get().anyFailing()) {
                return false;
            }
            if (agreed != null && !agreed.signature().equals(view.get().signature())) {
                return false;
            }
            agreed = view.get();
        }
        return agreed != null && hasConfiguredShape(cluster, agreed) && replicaLinksUp(cluster, agreed);
    }

    /** Whether every slot range is served by the master it started on. */
    static boolean hasRolesAsStarted(RedisCluster cluster) {
        List<Entry> masters = cluster.anyView().mastersInSlotOrder();
        if (masters.size() != RedisCluster.MASTERS) {
            return false;
        }
        for (int i = 0; i < RedisCluster.MASTERS; i++) {
            if (!masters.get(i).id().equals(cluster.id(cluster.nodes().get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasConfiguredShape(RedisCluster cluster, ClusterView view) {
        List<Entry> masters = view.mastersInSlotOrder();
        int replicas = cluster.options().replicasPerMaster();
        return masters.size() == RedisCluster.MASTERS
                && masters.stream().allMatch(m -> view.replicasOf(m.id()).size() == replicas);
    }

    private static boolean replicaLinksUp(RedisCluster cluster, ClusterView view) {
        return view.entries().stream()
                .filter(e -> !e.master())
                .allMatch(e -> Probes.reply(cluster.node(e.id()), "INFO", "replication")
                        .map(info -> info.contains("master_link_status:up"))
                        .orElse(false));
    }

    /** One line per node: state, known nodes, role and replication link, for failure messages. */
    static String describe(RedisCluster cluster) {
        return cluster.nodes().stream()
                .map(node -> node.uri() + " -> " + summary(node))
                .collect(Collectors.joining("\n"));
    }

    private static String summary(RedisNode node) {
        if (node.isPaused()) {
            return "(paused)";
        }
        if (!node.isRunning()) {
            return "(down)";
        }
        String info = Probes.reply(node, "CLUSTER", "INFO").orElse("(no answer)");
        String replication = Probes.reply(node, "INFO", "replication").orElse("");
        return (info + "\n" + replication)
                .lines()
                .filter(line -> line.startsWith("cluster_state")
                        || line.startsWith("cluster_known_nodes")
                        || line.startsWith("role")
                        || line.startsWith("master_link_status")
                        || line.startsWith("("))
                .collect(Collectors.joining(" "));
    }
}
