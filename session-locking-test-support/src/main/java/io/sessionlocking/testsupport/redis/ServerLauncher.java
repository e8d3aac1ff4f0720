package io.sessionlocking.testsupport.redis;

import java.nio.file.Path;
import java.util.List;

/** Starts redis-server instances of one kind: local processes or containers. Implementations are thread-safe. */
interface ServerLauncher {

    /** The host clients connect to. */
    String host();

    /** Whether several instances can form a Redis Cluster reachable from this JVM. */
    boolean supportsCluster();

    /**
     * Spawns a server that will listen on {@code port}. Returns once spawned, not once ready: readiness is polled
     * through {@link ServerInstance#isReady()} so that the caller owns the (bounded) wait.
     *
     * @param nodeDirectory the node's private working directory, kept across restarts
     * @throws PortUnavailableException if the port turned out to be taken (only launchers that learn this
     *     synchronously throw it; others report it through {@link ServerInstance#failedToBind()})
     */
    ServerInstance launch(int port, Path nodeDirectory, List<String> extraArgs) throws PortUnavailableException;
}
