package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How to start a {@link RedisCluster}: replicas per master, {@code cluster-node-timeout}, and the options of every
 * node. Immutable and thread-safe; every {@code with*} method returns a new instance.
 */
public final class RedisClusterOptions {

    /** The most replicas per master the fixture starts; more would only slow the tests down. */
    public static final int MAX_REPLICAS_PER_MASTER = 2;

    /** {@code cluster-node-timeout} unless set: long enough that a loaded machine does not cause spurious failovers. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(5);

    private static final RedisClusterOptions DEFAULTS =
            new RedisClusterOptions(0, DEFAULT_NODE_TIMEOUT, RedisNodeOptions.defaults());

    private final int replicasPerMaster;

    private final Duration nodeTimeout;

    private final RedisNodeOptions nodeOptions;

    private RedisClusterOptions(int replicasPerMaster, Duration nodeTimeout, RedisNodeOptions nodeOptions) {
        this.replicasPerMaster = replicasPerMaster;
        this.nodeTimeout = nodeTimeout;
        this.nodeOptions = nodeOptions;
    }

    /** Three masters, no replicas, a 5 s node timeout, default node options. */
    public static RedisClusterOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Replicas per master, 0 to {@value #MAX_REPLICAS_PER_MASTER}.
     *
     * @throws IllegalArgumentException outside that range
     */
    public RedisClusterOptions withReplicasPerMaster(int replicas) {
        if (replicas < 0 || replicas > MAX_REPLICAS_PER_MASTER) {
            throw new IllegalArgumentException(
                    "replicasPerMaster must be between 0 and " + MAX_REPLICAS_PER_MASTER + ", was " + replicas);
        }
        return new RedisClusterOptions(replicas, nodeTimeout, nodeOptions);
    }

    /**
     * {@code cluster-node-timeout}: how long a node may be unreachable before it is flagged failing; an automatic
     * failover starts about one such timeout after a master dies. At least 500 ms.
     *
     * @throws IllegalArgumentException below 500 ms
     */
    public RedisClusterOptions withNodeTimeout(Duration timeout) {
        if (timeout.compareTo(Duration.ofMillis(500)) < 0) {
            throw new IllegalArgumentException("nodeTimeout must be at least 500ms, was " + timeout);
        }
        return new RedisClusterOptions(replicasPerMaster, timeout, nodeOptions);
    }

    /** Binary and extra arguments of every node, in addition to the cluster arguments. */
    public RedisClusterOptions withNodeOptions(RedisNodeOptions options) {
        return new RedisClusterOptions(replicasPerMaster, nodeTimeout, Objects.requireNonNull(options, "options"));
    }

    public int replicasPerMaster() {
        return replicasPerMaster;
    }

    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    public RedisNodeOptions nodeOptions() {
        return nodeOptions;
    }

    @Override
    public String toString() {
        return "RedisClusterOptions[replicasPerMaster=" + replicasPerMaster + ", nodeTimeout=" + nodeTimeout + ", "
                + nodeOptions + "]";
    }
}
