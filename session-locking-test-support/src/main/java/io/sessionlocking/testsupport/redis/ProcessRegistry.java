package io.sessionlocking.testsupport.redis;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tracks every redis-server process this JVM started, so none outlives it: a shutdown hook SIGKILLs whatever is still
 * running, and a pid file per process lets the next JVM reap what a JVM killed without shutdown hooks left behind.
 * Orphans of earlier JVMs are reaped when the registry is first used.
 *
 * <p>Thread-safe.
 */
final class ProcessRegistry {

    private static final ProcessRegistry INSTANCE = create();

    private final Path pidDirectory;

    private final Map<Long, Entry> live = new ConcurrentHashMap<>();

    private ProcessRegistry(Path pidDirectory) {
        this.pidDirectory = pidDirectory;
    }

    static ProcessRegistry get() {
        return INSTANCE;
    }

    private static ProcessRegistry create() {
        Path pidDirectory = FixtureDirectories.pids();
        OrphanReaper.reap(pidDirectory);
        ProcessRegistry registry = new ProcessRegistry(pidDirectory);
        Runtime.getRuntime().addShutdownHook(new Thread(registry::killAll, "redis-fixture-shutdown"));
        return registry;
    }

    void register(Process process, int port, Path nodeDirectory) {
        live.put(process.pid(), new Entry(process, port, nodeDirectory));
        PidFile.forCurrentJvm(process.pid(), port, nodeDirectory).write(pidDirectory);
    }

    /** Call once the process is known to have exited. */
    void unregister(Process process, int port) {
        live.remove(process.pid());
        PidFile.deleteIfDescribes(pidDirectory, port, process.pid());
    }

    private void killAll() {
        // SIGKILL also ends SIGSTOPped servers, which a SIGTERM would not reach until resumed.
        live.values().forEach(entry -> entry.process().destroyForcibly());
        for (Entry entry : live.values()) {
            try {
                entry.process().waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            PidFile.deleteIfDescribes(
                    pidDirectory, entry.port(), entry.process().pid());
            FixtureDirectories.deleteRecursively(entry.nodeDirectory());
        }
    }

    private record Entry(Process process, int port, Path nodeDirectory) {}
}
