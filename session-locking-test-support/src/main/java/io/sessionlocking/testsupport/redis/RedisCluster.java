package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters without replicas, each a {@link RedisNode} on loopback, with the 16384 slots split
 * evenly (0-5460, 5461-10921, 10922-16383). Faults are injected through {@link #nodes()}.
 *
 * <p>{@link #start()} returns once every node reports {@code cluster_state:ok} and knows all three nodes (bounded by
 * 30 s; about 2 s is typical because Redis delays a master's {@code ok} state after startup). Nodes use
 * {@code cluster-node-timeout} 5000 ms, so a killed or paused node is flagged as failing by the others after about
 * 5 s; with the default {@code cluster-require-full-coverage yes}, the whole cluster then refuses commands until the
 * node is back. {@link #close()} closes all nodes and is idempotent.
 *
 * <p>Thread-safe: the node list is immutable; see {@link RedisNode} for the nodes themselves.
 */
public final class RedisCluster implements AutoCloseable {

    static final int SIZE = 3;

    private static final int SLOTS = 16384;

    private static final int ADDSLOTS_CHUNK = 1000;

    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisNode> nodes;

    private RedisCluster(List<RedisNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts a three-master cluster with the JVM-wide {@link RedisBinary}. */
    public static RedisCluster start() {
        return start(RedisNodeOptions.defaults());
    }

    /**
     * Starts a three-master cluster whose nodes use {@code nodeOptions} (binary and extra arguments) plus the cluster
     * arguments.
     *
     * @throws UnsupportedOperationException if the binary runs in containers, whose cluster addresses the host cannot
     *     reach
     * @throws IllegalStateException if a node does not start or the cluster does not form within 30 s
     */
    public static RedisCluster start(RedisNodeOptions nodeOptions) {
        RedisBinary binary = nodeOptions.binary().orElseGet(RedisBinary::resolve);
        if (!binary.launcher().supportsCluster()) {
            throw new UnsupportedOperationException("RedisCluster needs a local redis-server (on PATH or from the"
                    + " embedded-redis jar); it is not supported with " + binary.description());
        }
        RedisNodeOptions clusterOptions = nodeOptions
                .withBinary(binary)
                .withArgs(
                        "--cluster-enabled", "yes",
                        // Relative to --dir, the node's own directory; kept across restarts so a node keeps its id.
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000");
        List<RedisNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                nodes.add(RedisNode.start(clusterOptions));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisNode::close);
            throw e;
        }
    }

    private void form() {
        for (int i = 0; i < SIZE; i++) {
            RedisNode node = nodes.get(i);
            // Distinct epochs up front, as redis-cli --cluster create does, so no epoch collision has to be resolved.
            node.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
            assignSlots(node, i * SLOTS / SIZE, (i + 1) * SLOTS / SIZE - 1);
        }
        RedisNode first = nodes.get(0);
        for (RedisNode other : nodes.subList(1, SIZE)) {
            first.command("CLUSTER", "MEET", other.host(), Integer.toString(other.port()));
        }
        awaitHealthy(FORMATION_TIMEOUT);
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

    /**
     * Waits until every node reports {@code cluster_state:ok} and knows all nodes, e.g. after restarting a node.
     *
     * @throws IllegalStateException with each node's {@code CLUSTER INFO} if that does not happen within
     *     {@code timeout}
     */
    public void awaitHealthy(Duration timeout) {
        if (!Waits.until(timeout, this::isHealthy)) {
            throw new IllegalStateException("Redis Cluster not healthy within " + timeout + ":\n" + describeState());
        }
    }

    /** Whether every node is running, reports {@code cluster_state:ok} and knows all nodes, right now. */
    public boolean isHealthy() {
        return nodes.stream().allMatch(node -> {
            String info = clusterInfo(node);
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + SIZE + "\r\n");
        });
    }

    private String describeState() {
        return nodes.stream()
                .map(node ->
                        node.uri() + " -> " + clusterInfo(node).lines().limit(7).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n"));
    }

    private static String clusterInfo(RedisNode node) {
        if (node.isPaused()) {
            return "(paused)";
        }
        try {
            String info = node.command(Duration.ofSeconds(1), "CLUSTER", "INFO");
            return info == null ? "" : info;
        } catch (RuntimeException e) {
            return "(unreachable: " + e.getMessage() + ")";
        }
    }

    /** The three nodes, in slot order (the first serves slots 0-5460). */
    public List<RedisNode> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:PORT} of every node; any of them works as a seed for a cluster client. */
    public List<String> uris() {
        return nodes.stream().map(RedisNode::uri).collect(Collectors.toUnmodifiableList());
    }

    /** Closes every node; idempotent. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (RedisNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "RedisCluster" + uris();
    }
}
