package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Redis Sentinel on loopback: a master, its replica and one or more sentinels, each a {@link RedisNode} on a free
 * port, with the master known to the sentinels as {@link #MASTER_NAME}:
 *
 * <pre>{@code
 * assumeTrue(RedisSentinelGroup.isAvailable(), RedisSentinelGroup.unavailableReason().orElse(""));
 * try (RedisSentinelGroup sentinel = RedisSentinelGroup.start(3)) {
 *     // spring.data.redis.sentinel.master=sentinel.masterName(), .nodes=String.join(",", sentinel.sentinelAddresses())
 *     RedisNode promoted = sentinel.killMasterAndAwaitFailover(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p><b>Availability.</b> Sentinels run {@code redis-server --sentinel}, the same program as {@code redis-sentinel}
 * (which is only a link to it), with the fixture's {@link RedisBinary}; so Sentinel is available wherever a local
 * redis-server is, from PATH or the embedded-redis jar, and its processes are tracked and reaped like any node. It is
 * not available with Testcontainers, whose addresses the sentinels could not announce to the host: {@link
 * #unavailableReason()} says so, and tests may then be skipped with that message; this is the only case where the
 * fixture lets tests be skipped.
 *
 * <p><b>Timing.</b> {@link #start} returns once every sentinel sees the master, its replica and the other sentinels,
 * and the master's writes reach the replica (bounded by 30 s; about 2 to 4 s, since sentinels find each other through
 * hello messages every 2 s). Sentinels consider the master down after {@value #DOWN_AFTER_MILLIS} ms without an
 * answer; an automatic failover after a kill then takes a few more seconds (agreement, election, promotion). Nothing is persisted: a restarted data node comes
 * back empty, in the role it was started with, until the sentinels reconfigure it (which Sentinel delays by several
 * seconds).
 *
 * <p><b>Concurrency.</b> Thread-safe: the node lists are immutable, and every query reads the servers. Operations that
 * change the topology are meant to be called from one test thread at a time; each wait is bounded.
 */
public final class RedisSentinelGroup implements AutoCloseable {

    /** The name the sentinels know the master by, e.g. for {@code spring.data.redis.sentinel.master}. */
    public static final String MASTER_NAME = "session-locking";

    static final int DOWN_AFTER_MILLIS = 1000;

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static final int MAX_SENTINELS = 5;

    private final List<RedisNode> dataNodes;

    private final List<RedisNode> sentinels;

    private RedisSentinelGroup(List<RedisNode> dataNodes, List<RedisNode> sentinels) {
        this.dataNodes = List.copyOf(dataNodes);
        this.sentinels = List.copyOf(sentinels);
    }

    /** Why Sentinel cannot run here, or empty if it can. Resolves the JVM-wide {@link RedisBinary}. */
    public static Optional<String> unavailableReason() {
        RedisBinary binary;
        try {
            binary = RedisBinary.resolve();
        } catch (IllegalStateException e) {
            return Optional.of("Redis Sentinel needs a redis-server: " + e.getMessage());
        }
        if (!binary.launcher().supportsCluster()) {
            return Optional.of("Redis Sentinel needs a local redis-server (on PATH or from the embedded-redis jar);"
                    + " it is not supported with " + binary.description());
        }
        return Optional.empty();
    }

    public static boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** A master, a replica and one sentinel (quorum 1). */
    public static RedisSentinelGroup start() {
        return start(1);
    }

    /**
     * A master, a replica and {@code sentinelCount} sentinels (1 to 5) with a majority quorum, e.g. 2 of 3.
     *
     * @throws IllegalStateException if Sentinel is {@linkplain #unavailableReason() unavailable}, or the group is
     *     not ready within 30 s
     * @throws IllegalArgumentException if {@code sentinelCount} is out of range
     */
    public static RedisSentinelGroup start(int sentinelCount) {
        if (sentinelCount < 1 || sentinelCount > MAX_SENTINELS) {
            throw new IllegalArgumentException(
                    "sentinelCount must be between 1 and " + MAX_SENTINELS + ", was " + sentinelCount);
        }
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        // Replicas sync at once instead of waiting 5 s for more replicas to share the transfer.
        RedisNodeOptions data = RedisNodeOptions.defaults().withArgs("--repl-diskless-sync-delay", "0");
        List<RedisNode> started = new ArrayList<>();
        try {
            RedisNode master = RedisNode.start(data);
            started.add(master);
            RedisNode replica =
                    RedisNode.start(data.withArgs("--replicaof", master.host(), Integer.toString(master.port())));
            started.add(replica);
            List<RedisNode> sentinels = new ArrayList<>();
            for (int i = 0; i < sentinelCount; i++) {
                RedisNode sentinel = RedisNode.start(RedisNodeOptions.defaults().withArgs("--sentinel"));
                started.add(sentinel);
                sentinels.add(sentinel);
                monitor(sentinel, master, sentinelCount / 2 + 1);
            }
            RedisSentinelGroup group = new RedisSentinelGroup(List.of(master, replica), sentinels);
            group.awaitHealthy(STARTUP_TIMEOUT);
            return group;
        } catch (RuntimeException e) {
            started.forEach(RedisNode::close);
            throw e;
        }
    }

    private static void monitor(RedisNode sentinel, RedisNode master, int quorum) {
        sentinel.command(
                "SENTINEL",
                "MONITOR",
                MASTER_NAME,
                master.host(),
                Integer.toString(master.port()),
                Integer.toString(quorum));
        sentinel.command(
                "SENTINEL", "SET", MASTER_NAME, "down-after-milliseconds", Integer.toString(DOWN_AFTER_MILLIS));
        // Retry a failed failover after 10 s rather than the default 3 minutes.
        sentinel.command("SENTINEL", "SET", MASTER_NAME, "failover-timeout", "10000");
    }

    public String masterName() {
        return MASTER_NAME;
    }

    /** The master and the replica, as started; after a failover their roles are swapped, see {@link #master()}. */
    public List<RedisNode> dataNodes() {
        return dataNodes;
    }

    public List<RedisNode> sentinels() {
        return sentinels;
    }

    /** {@code 127.0.0.1:PORT} of every sentinel, e.g. for {@code spring.data.redis.sentinel.nodes}. */
    public List<String> sentinelAddresses() {
        return sentinels.stream().map(s -> s.host() + ":" + s.port()).toList();
    }

    /** {@code redis-sentinel://127.0.0.1:P1,127.0.0.1:P2#session-locking}, as understood by Lettuce. */
    public String sentinelUri() {
        return "redis-sentinel://" + String.join(",", sentinelAddresses()) + "#" + MASTER_NAME;
    }

    /** The master as the first answering sentinel reports it now. */
    public RedisNode master() {
        for (RedisNode sentinel : sentinels) {
            Optional<RedisNode> master = reportedMaster(sentinel);
            if (master.isPresent()) {
                return master.get();
            }
        }
        throw new IllegalStateException("No sentinel of " + this + " reports a master");
    }

    /** The data node that is not {@link #master()}. */
    public RedisNode replica() {
        RedisNode master = master();
        return dataNodes.get(0) == master ? dataNodes.get(1) : dataNodes.get(0);
    }

    /**
     * Whether, right now, every sentinel reports the same master, sees it up with one replica and all other sentinels,
     * that master says it is a master, the other data node's link to it is up, and a write on the master reaches that
     * replica within 1 s (a harmless {@code PUBLISH}, then {@code WAIT}). The link alone is not enough: after the
     * initial diskless sync the replica reports it up while the master holds the stream back until the replica's next
     * acknowledgement, up to a second later, and a write made then is lost if the master dies before.
     */
    public boolean isHealthy() {
        Integer agreedPort = null;
        for (RedisNode sentinel : sentinels) {
            Optional<Map<String, String>> master =
                    Probes.reply(sentinel, "SENTINEL", "MASTER", MASTER_NAME).map(SentinelReplies::fields);
            if (master.isEmpty()
                    || !"master".equals(master.get().get("flags"))
                    || !"1".equals(master.get().get("num-slaves"))
                    || !Integer.toString(sentinels.size() - 1)
                            .equals(master.get().get("num-other-sentinels"))) {
                return false;
            }
            int port = Integer.parseInt(master.get().get("port"));
            if (agreedPort != null && agreedPort != port) {
                return false;
            }
            agreedPort = port;
        }
        RedisNode master = node(agreedPort);
        RedisNode replica = dataNodes.get(0) == master ? dataNodes.get(1) : dataNodes.get(0);
        return Probes.reply(master, "ROLE")
                        .map(role -> role.startsWith("master"))
                        .orElse(false)
                && Probes.reply(replica, "INFO", "replication")
                        .map(info -> info.contains("master_link_status:up")
                                && info.contains("master_port:" + master.port() + "\r\n"))
                        .orElse(false)
                && Probes.replicates(master, 1);
    }

    /**
     * Waits until the group {@linkplain #isHealthy() is healthy}.
     *
     * @throws IllegalStateException with each sentinel's view if that does not happen within {@code timeout}
     */
    public void awaitHealthy(Duration timeout) {
        if (!Waits.until(timeout, POLL_INTERVAL, this::isHealthy)) {
            throw new IllegalStateException("Redis Sentinel group not healthy within " + timeout + ":\n" + describe());
        }
    }

    /**
     * {@code SENTINEL FAILOVER}: the first sentinel promotes the replica without waiting for agreement; waits (bounded
     * by 30 s) until every sentinel reports it as the master and it says it is one.
     *
     * @return the promoted node
     */
    public RedisNode failover() {
        RedisNode oldMaster = master();
        sentinels.get(0).command("SENTINEL", "FAILOVER", MASTER_NAME);
        return awaitFailover(oldMaster, FAILOVER_TIMEOUT);
    }

    /** SIGKILLs the master and waits for the sentinels to promote the replica; see {@link #awaitFailover}. */
    public RedisNode killMasterAndAwaitFailover(Duration timeout) {
        RedisNode master = master();
        master.kill();
        return awaitFailover(master, timeout);
    }

    /**
     * After a test killed or paused {@code oldMaster}, or asked for a failover: waits until every sentinel reports the
     * other data node as the master and that node says it is one. Expect {@value #DOWN_AFTER_MILLIS} ms plus a few
     * seconds after a kill.
     *
     * @return the promoted node
     * @throws IllegalStateException if that does not happen within {@code timeout}
     */
    public RedisNode awaitFailover(RedisNode oldMaster, Duration timeout) {
        RedisNode promoted = dataNodes.get(0) == oldMaster ? dataNodes.get(1) : dataNodes.get(0);
        boolean done = Waits.until(
                timeout,
                POLL_INTERVAL,
                () -> sentinels.stream().allMatch(s -> reportedMaster(s).equals(Optional.of(promoted)))
                        && Probes.reply(promoted, "ROLE")
                                .map(role -> role.startsWith("master"))
                                .orElse(false));
        if (!done) {
            throw new IllegalStateException(
                    "Sentinels did not promote " + promoted + " within " + timeout + ":\n" + describe());
        }
        return promoted;
    }

    /** Closes every sentinel, then the data nodes; idempotent. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (RedisNode node :
                Stream.concat(sentinels.stream(), dataNodes.stream()).toList()) {
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
        return "RedisSentinelGroup[" + MASTER_NAME + ", data "
                + dataNodes.stream().map(RedisNode::uri).toList() + ", sentinels " + sentinelAddresses() + "]";
    }

    private Optional<RedisNode> reportedMaster(RedisNode sentinel) {
        return Probes.reply(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                .flatMap(SentinelReplies::masterPort)
                .flatMap(
                        port -> dataNodes.stream().filter(n -> n.port() == port).findFirst());
    }

    private RedisNode node(int port) {
        return dataNodes.stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Sentinels report an unknown master on port " + port));
    }

    private String describe() {
        return sentinels.stream()
                .map(s -> s.uri() + " -> "
                        + Probes.reply(s, "SENTINEL", "MASTER", MASTER_NAME)
                                .map(SentinelReplies::fields)
                                .map(f -> "port " + f.get("port") + " flags " + f.get("flags") + " replicas "
                                        + f.get("num-slaves") + " other sentinels " + f.get("num-other-sentinels"))
                                .orElse("(no answer)"))
                .collect(Collectors.joining("\n"));
    }
}
