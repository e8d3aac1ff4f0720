package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills redis-server processes recorded in pid files by a JVM that is gone, so crashed test runs do not leave
 * orphans behind. A recorded process is killed only if it is alive and its command line still names
 * {@code redis-server} and the recorded port, which guards against pid reuse by an unrelated process. Files of
 * owners that are still running (a concurrent test JVM) are left alone.
 */
final class OrphanReaper {

    private static final System.Logger LOG = System.getLogger(OrphanReaper.class.getName());

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

    private OrphanReaper() {}

    /** Returns the number of orphaned servers killed. */
    static int reap(Path pidDirectory) {
        int killed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pidDirectory, "*.pid")) {
            for (Path file : files) {
                killed += reapOne(file, pidDirectory);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot scan " + pidDirectory + " for orphaned redis-server processes", e);
        }
        return killed;
    }

    private static int reapOne(Path file, Path pidDirectory) {
        Optional<PidFile> record = PidFile.read(file);
        if (record.isPresent() && record.get().ownerIsAlive()) {
            return 0;
        }
        int killed = 0;
        if (record.isPresent()) {
            PidFile orphan = record.get();
            Optional<ProcessHandle> process = ProcessHandle.of(orphan.pid()).filter(ProcessHandle::isAlive);
            if (process.isPresent() && isRedisOnPort(process.get(), orphan.port())) {
                LOG.log(
                        Level.INFO,
                        "Killing orphaned redis-server pid {0} on port {1} left by dead JVM {2}",
                        // as strings: MessageFormat would print numbers with grouping separators
                        Long.toString(orphan.pid()),
                        Integer.toString(orphan.port()),
                        Long.toString(orphan.ownerPid()));
                killAndWait(process.get());
                killed = 1;
            }
            // Only directories the fixture itself created are removed, never an arbitrary recorded path.
            Path nodes = pidDirectory.resolveSibling("nodes");
            if (orphan.nodeDirectory().startsWith(nodes)) {
                FixtureDirectories.deleteRecursively(orphan.nodeDirectory());
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot delete stale pid file " + file, e);
        }
        return killed;
    }

    static boolean isRedisOnPort(ProcessHandle process, int port) {
        String commandLine = commandLine(process);
        return commandLine.contains("redis-server") && commandLine.contains(Integer.toString(port));
    }

    /**
     * Both sources, because redis-server rewrites its process title ({@code redis-server 127.0.0.1:PORT}), which the
     * JDK may or may not reflect depending on platform.
     */
    private static String commandLine(ProcessHandle process) {
        String fromJdk = process.info().commandLine().orElse("");
        String fromProc = "";
        Path procCmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(procCmdline)) {
                fromProc = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException e) {
            // the process exited meanwhile or /proc is restricted: the JDK view is all we have
        }
        return fromJdk + " " + fromProc;
    }

    private static void killAndWait(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "Orphaned redis-server pid " + process.pid() + " did not exit after SIGKILL", e);
        }
    }
}
