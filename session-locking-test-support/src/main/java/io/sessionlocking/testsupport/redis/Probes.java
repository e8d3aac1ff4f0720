package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.Optional;

/**
 * Status questions to a node that may be down or paused, for the health checks of clusters and Sentinel groups: a
 * node that cannot answer within 1 s is simply not answering, never an error.
 */
final class Probes {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

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
}
