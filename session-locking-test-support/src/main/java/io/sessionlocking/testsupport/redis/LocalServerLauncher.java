package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs redis-server as a child process of this JVM, bound to 127.0.0.1 only. */
final class LocalServerLauncher implements ServerLauncher {

    static final String HOST = "127.0.0.1";

    private final Path executable;

    LocalServerLauncher(Path executable) {
        this.executable = executable;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public boolean supportsCluster() {
        return true;
    }

    @Override
    public ServerInstance launch(int port, Path nodeDirectory, List<String> extraArgs) {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        if (extraArgs.contains("--sentinel")) {
            command.add(sentinelConfig(nodeDirectory).toString());
        }
        command.addAll(List.of(
                "--port",
                Integer.toString(port),
                "--bind",
                HOST,
                // An empty argument, which redis-server reads as `save ""`: no RDB snapshots at all.
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "no",
                "--daemonize",
                "no",
                "--dir",
                nodeDirectory.toString(),
                "--logfile",
                LocalServerInstance.logFile(nodeDirectory).toString()));
        command.addAll(extraArgs);
        // Output goes to a file, not a pipe: nobody drains a pipe, and a full pipe would block the server.
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(nodeDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        LocalServerInstance.consoleFile(nodeDirectory).toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + executable, e);
        }
        ProcessRegistry.get().register(process, port, nodeDirectory);
        return new LocalServerInstance(process, port, nodeDirectory);
    }

    /**
     * Sentinel mode refuses to start without a config file, given first, which it rewrites to record what it monitors;
     * an empty one kept in the node directory lets a restarted sentinel resume where it was.
     */
    private static Path sentinelConfig(Path nodeDirectory) {
        Path config = nodeDirectory.resolve("sentinel.conf");
        try {
            if (!Files.exists(config)) {
                Files.createFile(config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + config, e);
        }
        return config;
    }
}
