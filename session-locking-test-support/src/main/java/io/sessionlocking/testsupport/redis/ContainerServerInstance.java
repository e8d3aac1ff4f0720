package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A redis-server container. Kill, pause and resume map to {@code docker kill}, {@code docker pause} and
 * {@code docker unpause}; a stopped container is removed, and a restart creates a new one on the same host port.
 * Not thread-safe; {@link RedisNode} serialises access.
 */
final class ContainerServerInstance implements ServerInstance {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final GenericContainer<?> container;

    private final String host;

    private final int port;

    ContainerServerInstance(GenericContainer<?> container, String host, int port) {
        this.container = container;
        this.host = host;
        this.port = port;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public boolean isAlive() {
        return container.getContainerId() != null && container.isRunning();
    }

    @Override
    public boolean isReady() {
        try {
            return "PONG".equals(Resp.call(host, port, PROBE_TIMEOUT, "PING"));
        } catch (IOException | RedisReplyException e) {
            return false;
        }
    }

    @Override
    public boolean failedToBind() {
        return false; // the launcher learns about port conflicts synchronously
    }

    @Override
    public String diagnostics() {
        try {
            String logs = container.getLogs();
            return "container log:\n" + logs.substring(Math.max(0, logs.length() - 4000));
        } catch (RuntimeException e) {
            return "(container log unavailable: " + e + ")";
        }
    }

    @Override
    public void kill(Duration timeout) {
        if (isAlive()) {
            DockerClientFactory.instance()
                    .client()
                    .killContainerCmd(container.getContainerId())
                    .exec();
        }
        container.stop();
    }

    @Override
    public void terminate(Duration timeout) {
        if (isAlive()) {
            DockerClientFactory.instance()
                    .client()
                    .stopContainerCmd(container.getContainerId())
                    .withTimeout(Math.toIntExact(Math.max(1, timeout.toSeconds())))
                    .exec();
        }
        container.stop();
    }

    @Override
    public void pause() {
        DockerClientFactory.instance()
                .client()
                .pauseContainerCmd(container.getContainerId())
                .exec();
    }

    @Override
    public void resume() {
        DockerClientFactory.instance()
                .client()
                .unpauseContainerCmd(container.getContainerId())
                .exec();
    }
}
