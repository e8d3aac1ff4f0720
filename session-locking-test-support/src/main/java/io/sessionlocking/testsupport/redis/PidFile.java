package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The on-disk record of one running redis-server ({@code <fixture>/pids/<port>.pid}): its pid, the JVM that owns it,
 * its port and its node directory. It lets a later JVM recognise and reap servers whose owner died without running
 * its shutdown hook (SIGKILL, OOM killer, a crashed fork).
 */
record PidFile(long pid, long ownerPid, long ownerStartMillis, int port, Path nodeDirectory) {

    static PidFile forCurrentJvm(long pid, int port, Path nodeDirectory) {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
        return new PidFile(pid, self.pid(), start, port, nodeDirectory);
    }

    static Path location(Path pidDirectory, int port) {
        return pidDirectory.resolve(port + ".pid");
    }

    /** Writes atomically so a reaper in another JVM never reads half a file. */
    void write(Path pidDirectory) {
        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("owner", Long.toString(ownerPid));
        properties.setProperty("ownerStart", Long.toString(ownerStartMillis));
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("dir", nodeDirectory.toString());
        try {
            Path temporary = Files.createTempFile(pidDirectory, port + "-", ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "redis-server started by the session-locking test fixture");
            }
            Files.move(
                    temporary,
                    location(pidDirectory, port),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the pid file of the Redis node on port " + port, e);
        }
    }

    /** Empty when the file is gone or unreadable (e.g. written by an incompatible version): treated as garbage. */
    static Optional<PidFile> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(new PidFile(
                    Long.parseLong(properties.getProperty("pid")),
                    Long.parseLong(properties.getProperty("owner")),
                    Long.parseLong(properties.getProperty("ownerStart", "-1")),
                    Integer.parseInt(properties.getProperty("port")),
                    Path.of(properties.getProperty("dir"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes the file for {@code port} only if it still describes {@code pid}: a restart may have replaced it. */
    static void deleteIfDescribes(Path pidDirectory, int port, long pid) {
        Path file = location(pidDirectory, port);
        if (read(file).map(record -> record.pid() == pid).orElse(false)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stale pid file is harmless: the reaper checks liveness and command line before killing
            }
        }
    }

    /** Whether the JVM that wrote this file is still running (same pid and, when known, same start time). */
    boolean ownerIsAlive() {
        return ProcessHandle.of(ownerPid)
                .filter(ProcessHandle::isAlive)
                .filter(owner -> ownerStartMillis < 0
                        || owner.info()
                                .startInstant()
                                .map(i -> i.toEpochMilli() == ownerStartMillis)
                                .orElse(true))
                .isPresent();
    }
}
