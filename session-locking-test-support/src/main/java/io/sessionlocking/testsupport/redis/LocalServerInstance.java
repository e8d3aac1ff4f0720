package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A redis-server child process. Not thread-safe; {@link RedisNode} serialises access. */
final class LocalServerInstance implements ServerInstance {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final Process process;

    private final int port;

    private final Path nodeDirectory;

    LocalServerInstance(Process process, int port, Path nodeDirectory) {
        this.process = process;
        this.port = port;
        this.nodeDirectory = nodeDirectory;
    }

    static Path logFile(Path nodeDirectory) {
        return nodeDirectory.resolve("redis.log");
    }

    static Path consoleFile(Path nodeDirectory) {
        return nodeDirectory.resolve("console.log");
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Checks the pid reported by INFO, since another JVM's server may have taken the port in a race. */
    @Override
    public boolean isReady() {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String info = Resp.call(LocalServerLauncher.HOST, port, PROBE_TIMEOUT, "INFO", "server");
            return info != null && info.contains("process_id:" + process.pid() + "\r\n");
        } catch (IOException | RedisReplyException e) {
            return false; // not listening yet, or still loading
        }
    }

    @Override
    public boolean failedToBind() {
        return !process.isAlive() && diagnostics().contains("Address already in use");
    }

    @Override
    public String diagnostics() {
        return "redis.log:\n" + FixtureDirectories.tail(logFile(nodeDirectory), 30) + "\nconsole:\n"
                + FixtureDirectories.tail(consoleFile(nodeDirectory), 10);
    }

    @Override
    public void kill(Duration timeout) {
        process.destroyForcibly();
        awaitExit(timeout, "SIGKILL");
    }

    @Override
    public void terminate(Duration timeout) {
        process.destroy();
        if (!waitFor(timeout)) {
            kill(timeout);
            return;
        }
        ProcessRegistry.get().unregister(process, port);
    }

    @Override
    public void pause() {
        Signals.stop(process.pid());
    }

    @Override
    public void resume() {
        Signals.resume(process.pid());
    }

    private void awaitExit(Duration timeout, String signal) {
        if (!waitFor(timeout)) {
            throw new IllegalStateException(
                    "redis-server pid " + process.pid() + " did not exit within " + timeout + " after " + signal);
        }
        ProcessRegistry.get().unregister(process, port);
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server to exit", e);
        }
    }
}
