package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters, each a {@link RedisNode} on loopback, with the 16384 slots split evenly (0-5460,
 * 5461-10921, 10922-16383) and, optionally, one or two replicas per master ({@link
 * RedisClusterOptions#withReplicasPerMaster}). Node faults are injected through {@link #nodes()}; replication faults
 * and failovers through this class:
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(RedisClusterOptions.defaults().withReplicasPerMaster(1))) {
 *     RedisNode master = cluster.masterOf("lock:{s1}");
 *     cluster.pauseReplication(master);            // acknowledged writes now stay on the master
 *     master.command("SET", "lock:{s1}", "token");
 *     RedisNode promoted = cluster.failover("lock:{s1}", FailoverMode.TAKEOVER);
 *     // promoted lacks the key, and the old master drops it when it resynchronises as a replica
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link #start} returns once the cluster is {@linkplain #isHealthy() healthy} (bounded by 30 s;
 * about 2 s without replicas, a little more with them). {@code cluster-node-timeout} defaults to 5 s: a killed or
 * paused master is flagged failing by the others after about that long, and its replica is then promoted automatically
 * (measured here: 8.9 s after a SIGKILL with 5 s, 4.7 s with 3 s); without a replica, {@code cluster-require-full-coverage yes} makes the whole cluster
 * refuse commands until the node is back. {@link #close()} closes all nodes and is idempotent.
 *
 * <p><b>Roles.</b> {@link #nodes()} lists the nodes as started, masters first; a failover changes who is master, so
 * tests ask {@link #masterOf}, {@link #masters()} and {@link #replicasOf}, which read the live topology. {@link
 * #restore} brings back the roles as started.
 *
 * <p><b>Concurrency.</b> Thread-safe: the node list is immutable, every query reads the servers, and the operations
 * synchronise only through the nodes' own locks (see {@link RedisNode}). Operations that change the topology are
 * meant to be called from one test thread at a time. Every wait is bounded by its timeout argument or by 30 s.
 */
public final class RedisCluster implements AutoCloseable {

    static final int MASTERS = 3;

    static final Duration HEALTH_POLL_INTERVAL = Duration.ofMillis(100);

    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private final RedisClusterOptions options;

    private final List<RedisNode> nodes;

    /** Node ids, parallel to {@link #nodes}; stable across restarts, since nodes.conf is kept. */
    private final List<String> ids;

    private RedisCluster(RedisClusterOptions options, List<RedisNode> nodes, List<String> ids) {
        this.options = options;
        this.nodes = List.copyOf(nodes);
        this.ids = List.copyOf(ids);
    }

    /** Starts a three-master cluster without replicas with the JVM-wide {@link RedisBinary}. */
    public static RedisCluster start() {
        return start(RedisClusterOptions.defaults());
    }

    /** Starts a three-master cluster without replicas whose nodes use {@code nodeOptions}. */
    public static RedisCluster start(RedisNodeOptions nodeOptions) {
        return start(RedisClusterOptions.defaults().withNodeOptions(nodeOptions));
    }

    /**
     * Starts a three-master cluster as {@code options} say and returns once it is healthy.
     *
     * @throws UnsupportedOperationException if the binary runs in containers, whose cluster addresses the host cannot
     *     reach
     * @throws IllegalStateException if a node does not start or the cluster does not form within 30 s
     */
    public static RedisCluster start(RedisClusterOptions options) {
        RedisBinary binary = options.nodeOptions().binary().orElseGet(RedisBinary::resolve);
        if (!binary.launcher().supportsCluster()) {
            throw new UnsupportedOperationException("RedisCluster needs a local redis-server (on PATH or from the"
                    + " embedded-redis jar); it is not supported with " + binary.description());
        }
        RedisNodeOptions nodeOptions = options.nodeOptions()
                .withBinary(binary)
                .withArgs(
                        "--cluster-enabled", "yes",
                        // Relative to --dir, the node's own directory; kept across restarts so a node keeps its id.
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout",
                                Long.toString(options.nodeTimeout().toMillis()),
                        // Replicas sync at once instead of waiting 5 s for more replicas to share the transfer.
                        "--repl-diskless-sync-delay", "0");
        List<RedisNode> started = new ArrayList<>();
        try {
            int count = MASTERS * (1 + options.replicasPerMaster());
            for (int i = 0; i < count; i++) {
                started.add(RedisNode.start(nodeOptions));
            }
            List<String> ids = ClusterFormation.form(
                    started.subList(0, MASTERS), started.subList(MASTERS, started.size()), FORMATION_TIMEOUT);
            RedisCluster cluster = new RedisCluster(options, started, ids);
            cluster.awaitHealthy(FORMATION_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisNode::close);
            throw e;
        }
    }

    /** Every node as started: the three masters in slot order, then their replicas in the same order. */
    public List<RedisNode> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:PORT} of every node; any of them works as a seed for a cluster client. */
    public List<String> uris() {
        return nodes.stream().map(RedisNode::uri).collect(Collectors.toUnmodifiableList());
    }

    public RedisClusterOptions options() {
        return options;
    }

    /** The current masters in slot order, as a reachable node sees them now. */
    public List<RedisNode> masters() {
        return anyView().mastersInSlotOrder().stream().map(e -> node(e.id())).toList();
    }

    /** The master serving the slot of {@code key} now, as a reachable node sees it. */
    public RedisNode masterOf(String key) {
        int slot = ClusterSlots.slot(key);
        return anyView()
                .masterOf(slot)
                .map(e -> node(e.id()))
                .orElseThrow(() -> new IllegalStateException("No master serves slot " + slot + " in " + this));
    }

    /** The replicas of {@code master} now, as a reachable node sees them. */
    public List<RedisNode> replicasOf(RedisNode master) {
        return anyView().replicasOf(id(master)).stream().map(e -> node(e.id())).toList();
    }

    /** {@code CLUSTER MYID} of {@code node}, kept from formation (a restart keeps it). */
    public String id(RedisNode node) {
        int index = nodes.indexOf(node);
        if (index < 0) {
            throw new IllegalArgumentException(node + " is not a node of " + this);
        }
        return ids.get(index);
    }

    /** {@code FLUSHALL} on every current master; replicas follow through replication. */
    public void flushAll() {
        masters().forEach(RedisNode::flushAll);
    }

    /**
     * Whether, right now, every node runs unpaused, reports {@code cluster_state:ok}, knows all nodes and flags none
     * as failing; all nodes agree on who serves which slots and who replicates whom; there are three masters with
     * their configured number of replicas each; and every replica's link to its master is up.
     */
    public boolean isHealthy() {
        return ClusterHealth.isHealthy(this);
    }

    /**
     * Waits until the cluster {@linkplain #isHealthy() is healthy}, e.g. after restarting a node.
     *
     * @throws IllegalStateException with each node's view if that does not happen within {@code timeout}
     */
    public void awaitHealthy(Duration timeout) {
        if (!Waits.until(timeout, HEALTH_POLL_INTERVAL, this::isHealthy)) {
            throw new IllegalStateException(
                    "Redis Cluster not healthy within " + timeout + ":\n" + ClusterHealth.describe(this));
        }
    }

    /**
     * Promotes the first replica of the master of {@code key}'s slot with {@code CLUSTER FAILOVER} in {@code mode},
     * resuming the replica first if it is paused, and waits (bounded by 30 s) until every reachable node sees it serve
     * the slot and reports {@code cluster_state:ok}.
     *
     * @return the promoted node, now the master of {@code key}
     * @throws IllegalStateException if that master has no replica, or the failover does not complete in time
     */
    public RedisNode failover(String key, FailoverMode mode) {
        RedisNode master = masterOf(key);
        RedisNode replica = replicasOf(master).stream()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(master + " has no replica to promote"));
        return ClusterFailovers.promote(this, replica, ClusterSlots.slot(key), mode, FAILOVER_TIMEOUT);
    }

    /**
     * After a test killed or paused {@code oldMaster}: waits until every other reachable node sees another node serve
     * {@code key}'s slot and reports {@code cluster_state:ok}. Expect the node timeout plus 1 to 3 s on a cluster as
     * started or {@linkplain #restore restored}. Not so after a failover earlier in the same test: masters refuse to
     * vote about one master twice within two node timeouts; a replica that won an election starts the next one only
     * four node timeouts later; and if its master fails within two node timeouts of that election, Redis 7.0 lets it
     * claim the slots with the old election's epoch, which the other nodes reject if the master has a newer one, e.g.
     * after a {@code TAKEOVER} (redis/redis#8752).
     *
     * @return the node now serving the slot
     * @throws IllegalStateException if no failover completes within {@code timeout}
     */
    public RedisNode awaitFailover(String key, RedisNode oldMaster, Duration timeout) {
        return ClusterFailovers.awaitOtherMaster(this, ClusterSlots.slot(key), oldMaster, timeout);
    }

    /**
     * Stops replication from {@code master}: its replicas are frozen (SIGSTOP) and the master refuses to serve them
     * (see {@link ReplicationBlock}), while its clients are not affected. Writes it acknowledges from now on are on it
     * only, until {@link #resumeReplication} or {@link #restore}. A replica frozen longer than the node timeout is
     * flagged failing by the others, which does not affect the cluster state.
     */
    public void pauseReplication(RedisNode master) {
        replicasOf(master).forEach(RedisNode::pause);
        ReplicationBlock.block(master);
    }

    /**
     * Undoes {@link #pauseReplication}: the master serves replication again and its paused replicas resume, then
     * resynchronise from the replication backlog (within about a second; {@link #awaitHealthy} waits for it).
     */
    public void resumeReplication(RedisNode master) {
        ReplicationBlock.unblock(master);
        for (RedisNode replica : replicasOf(master)) {
            if (replica.isPaused()) {
                replica.resume();
            }
        }
    }

    /**
     * Brings the cluster back as started: resumes paused nodes, restarts dead ones, lifts replication pauses, waits
     * until healthy, then hands every slot range back to the master it started on ({@code CLUSTER FAILOVER TAKEOVER},
     * once the nodes are in sync). After handing slots back it also clears what the failovers left behind, so that the
     * next automatic failover takes the usual time (see {@link #awaitFailover}): it restarts each node it demoted
     * (which resynchronises from its master) and returns no sooner than two node timeouts after it began. Data on the
     * masters is kept. Each wait is bounded by {@code timeout}; a cluster with its roles as started costs one health
     * check.
     *
     * @throws IllegalStateException if the cluster does not heal in time
     */
    public void restore(Duration timeout) {
        ClusterRestore.restore(this, timeout);
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

    RedisNode node(String id) {
        int index = ids.indexOf(id);
        if (index < 0) {
            throw new IllegalStateException("Unknown cluster node id " + id + " in " + this);
        }
        return nodes.get(index);
    }

    /** The view of the first node that answers. */
    ClusterView anyView() {
        for (RedisNode node : nodes) {
            Optional<ClusterView> view = view(node);
            if (view.isPresent()) {
                return view.get();
            }
        }
        throw new IllegalStateException("No node of " + this + " answers CLUSTER NODES");
    }

    /** Empty if the node is down, paused or does not answer within 1 s. */
    static Optional<ClusterView> view(RedisNode node) {
        return Probes.reply(node, "CLUSTER", "NODES").map(ClusterView::parse);
    }
}
