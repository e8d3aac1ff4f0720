package io.sessionlocking.testsupport.redis;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Last-resort launcher: runs {@value #IMAGE} through Testcontainers. The container port is published on the host
 * port the node picked, so a restart can come back on the same port like a local process does. This assumes a Docker
 * engine on this machine (the usual case); with a remote engine the probed port may be taken there, which surfaces
 * as a retry. Clusters are not supported: cluster nodes would announce container addresses the host cannot reach.
 */
final class ContainerServerLauncher implements ServerLauncher {

    static final String IMAGE = "redis:7.2-alpine";

    private static final int CONTAINER_PORT = 6379;

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String host() {
        return DockerClientFactory.instance().dockerHostIpAddress();
    }

    @Override
    public boolean supportsCluster() {
        return false;
    }

    @Override
    public ServerInstance launch(int port, Path nodeDirectory, List<String> extraArgs) throws PortUnavailableException {
        List<String> command =
                new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        command.addAll(extraArgs);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> publish(cmd, port))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)
                        .withStartupTimeout(STARTUP_TIMEOUT));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            if (mentionsPortConflict(e)) {
                throw new PortUnavailableException("Docker could not publish port " + port, e);
            }
            throw e;
        }
        return new ContainerServerInstance(container, host(), port);
    }

    private static void publish(CreateContainerCmd cmd, int hostPort) {
        HostConfig hostConfig = cmd.getHostConfig() != null ? cmd.getHostConfig() : HostConfig.newHostConfig();
        ExposedPort redisPort = ExposedPort.tcp(CONTAINER_PORT);
        cmd.withExposedPorts(redisPort)
                .withHostConfig(
                        hostConfig.withPortBindings(new PortBinding(Ports.Binding.bindPort(hostPort), redisPort)));
    }

    private static boolean mentionsPortConflict(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("port is already allocated") || message.contains("address already in use")) {
                return true;
            }
        }
        return false;
    }
}
