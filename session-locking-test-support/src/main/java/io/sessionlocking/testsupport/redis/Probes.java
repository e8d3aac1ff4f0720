package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Status questions to a node that may be down or paused, for the health checks of clusters and Sentinel groups: a
 * node that cannot answer within 1 s is simply not answering, never an error.
 */
final class Probes {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** Nobody subscribes to it; a PUBLISH there only moves the replication offset. */
    private static final String REPLICATION_PROBE_CHANNEL = "__session-locking-fixture__:replication-probe";

    private Probes() {}

    /** The reply, or empty if the node is down, paused, answers with an error or not within 1 s. */
    static Optional<String> reply(RedisNode node, String... command) {
        if (!node.isRunning() || node.isPaused()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(node.command(TIMEOUT, command));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code replicas} replicas of the standalone {@code master} acknowledge, within 1 s, a write made now: a
     * {@code PUBLISH} to a channel nobody listens to, which Redis propagates to replicas (outside Redis Cluster) but
     * which changes no data. Unlike a replica's {@code master_link_status:up}, this shows that the replication stream
     * flows; see {@link RedisNode#writeAndWait}.
     */
    static boolean replicates(RedisNode master, int replicas) {
        if (!master.isRunning() || master.isPaused()) {
            return false;
        }
        List<List<String>> commands = List.of(
                List.of("PUBLISH", REPLICATION_PROBE_CHANNEL, ""),
                List.of("WAIT", Integer.toString(replicas), Long.toString(TIMEOUT.toMillis())));
        try {
            // The socket may wait for WAIT's own timeout plus the usual probe time.
            String acknowledged = Resp.callAll(master.host(), master.port(), TIMEOUT.multipliedBy(2), commands)
                    .get(1);
            return acknowledged != null && Integer.parseInt(acknowledged) >= replicas;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
