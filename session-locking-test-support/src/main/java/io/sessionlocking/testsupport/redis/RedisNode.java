package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One real redis-server on a free loopback port, with fault injection for tests: {@link #kill()}, {@link #pause()},
 * {@link #resume()}, {@link #stop()} and {@link #restart()} on the same port.
 *
 * <p><b>Lifecycle.</b> {@link #start()} returns once the server answers commands (bounded by 10 s, after which it
 * fails with the tail of the server log); a port taken by another process in the meantime is retried with a new port
 * up to 5 times. The node keeps its port, reserved within this JVM, until {@link #close()}, so {@link #restart()} can
 * bring the server back on it (bounded by 15 s, retrying while the port is still taken). {@link #close()} stops the
 * server, deletes its directory and is idempotent. A server that outlives its node is killed by a JVM shutdown hook,
 * or by the next JVM if this one is SIGKILLed.
 *
 * <p><b>Concurrency.</b> All lifecycle and fault methods are synchronized on the node; each waits a bounded time for
 * its effect (exit, stop or continue of the process, readiness) before returning. {@link #command} opens a fresh
 * connection per call, takes no lock, and may be called from any thread, including while the node is paused.
 */
public final class RedisNode implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(15);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration RESTART_BACKOFF = Duration.ofMillis(100);

    private static final int MAX_START_ATTEMPTS = 5;

    private final RedisBinary binary;

    private final List<String> args;

    private final boolean clusterBus;

    private final String host;

    private final int port;

    private final Path directory;

    private ServerInstance instance;

    private boolean paused;

    private boolean closed;

    private RedisNode(
            RedisBinary binary,
            List<String> args,
            boolean clusterBus,
            int port,
            Path directory,
            ServerInstance instance) {
        this.binary = binary;
        this.args = args;
        this.clusterBus = clusterBus;
        this.host = binary.launcher().host();
        this.port = port;
        this.directory = directory;
        this.instance = instance;
    }

    /** Starts a node with {@link RedisNodeOptions#defaults()}. */
    public static RedisNode start() {
        return start(RedisNodeOptions.defaults());
    }

    /**
     * Starts a node and returns once it answers commands.
     *
     * @throws IllegalStateException if no redis-server is available, or the server does not come up within 10 s
     */
    public static RedisNode start(RedisNodeOptions options) {
        RedisBinary binary = options.binary().orElseGet(RedisBinary::resolve);
        boolean clusterBus = options.clusterEnabled();
        PortUnavailableException lastConflict = null;
        for (int attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
            int port = FreePorts.reserve(clusterBus);
            Path directory = FixtureDirectories.newNodeDirectory();
            try {
                ServerInstance instance = launchReady(binary.launcher(), port, directory, options.args());
                return new RedisNode(binary, options.args(), clusterBus, port, directory, instance);
            } catch (PortUnavailableException e) {
                lastConflict = e;
                FreePorts.release(port, clusterBus);
                FixtureDirectories.deleteRecursively(directory);
            } catch (RuntimeException e) {
                FreePorts.release(port, clusterBus);
                FixtureDirectories.deleteRecursively(directory);
                throw e;
            }
        }
        throw new IllegalStateException(
                "redis-server could not bind a free port in " + MAX_START_ATTEMPTS + " attempts", lastConflict);
    }

    /**
     * Launches and waits (bounded) until the instance answers; on failure the instance is killed so nothing leaks.
     */
    private static ServerInstance launchReady(ServerLauncher launcher, int port, Path directory, List<String> args)
            throws PortUnavailableException {
        ServerInstance launched = launcher.launch(port, directory, args);
        boolean settled = Waits.until(STARTUP_TIMEOUT, () -> launched.isReady() || !launched.isAlive());
        if (settled && launched.isReady()) {
            return launched;
        }
        boolean exited = !launched.isAlive();
        boolean portTaken = exited && launched.failedToBind();
        String diagnostics = launched.diagnostics();
        launched.kill(STOP_TIMEOUT);
        if (portTaken) {
            throw new PortUnavailableException("Port " + port + " is already in use");
        }
        throw new IllegalStateException("redis-server on port " + port
                + (exited ? " exited during startup" : " did not answer within " + STARTUP_TIMEOUT) + "\n"
                + diagnostics);
    }

    /** Always {@code 127.0.0.1} for local processes; the Docker host for containers. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@link #host()} and {@link #port()}, e.g. as the target of a {@link io.sessionlocking.testsupport.net.TcpProxy}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** {@code redis://HOST:PORT}, as understood by Lettuce, Redisson and Spring Data Redis. */
    public String uri() {
        return "redis://" + host + ":" + port;
    }

    /** The binary this node runs. */
    public RedisBinary binary() {
        return binary;
    }

    /**
     * The pid of the current server process (a new one after each {@link #restart()}).
     *
     * @throws UnsupportedOperationException if the node runs in a container
     */
    public synchronized long pid() {
        return instance.pid()
                .orElseThrow(() -> new UnsupportedOperationException(
                        "This node runs in a Testcontainers container and has no local pid"));
    }

    /** Whether the server process exists; a {@linkplain #pause() paused} server counts as running. */
    public synchronized boolean isRunning() {
        return !closed && instance.isAlive();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /**
     * Crashes the server (SIGKILL) and waits up to 10 s for it to exit. Clients see connections reset and refused.
     * No-op if the server is not running.
     */
    public synchronized void kill() {
        ensureOpen();
        instance.kill(STOP_TIMEOUT);
        paused = false;
    }

    /**
     * Shuts the server down gracefully (SIGTERM; resumed first if paused, since a stopped process cannot act on it),
     * escalating to SIGKILL after 10 s. No-op if the server is not running.
     */
    public synchronized void stop() {
        ensureOpen();
        if (!instance.isAlive()) {
            return;
        }
        if (paused) {
            instance.resume();
            paused = false;
        }
        instance.terminate(STOP_TIMEOUT);
    }

    /**
     * Freezes the server (SIGSTOP, or {@code docker pause}): connections are accepted by the kernel but nothing is
     * answered, so clients hit their timeouts. Returns once the process is stopped. No-op if already paused.
     *
     * @throws IllegalStateException if the server is not running
     */
    public synchronized void pause() {
        ensureRunning("pause");
        if (!paused) {
            instance.pause();
            paused = true;
        }
    }

    /** Undoes {@link #pause()} (SIGCONT); queued commands are then answered. No-op if not paused. */
    public synchronized void resume() {
        ensureOpen();
        if (paused) {
            instance.resume();
            paused = false;
        }
    }

    /**
     * Starts the server again on the same port and directory (so a cluster node keeps its identity) and returns once
     * it answers. A running server is stopped first. Retries for up to 15 s while the port is still taken.
     *
     * @throws IllegalStateException if the server does not come back within the timeout
     */
    public synchronized void restart() {
        ensureOpen();
        stop();
        long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
        while (true) {
            try {
                instance = launchReady(binary.launcher(), port, directory, args);
                paused = false;
                return;
            } catch (PortUnavailableException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException(
                            "Port " + port + " stayed taken for " + RESTART_TIMEOUT + "; cannot restart " + uri(), e);
                }
                Waits.pause(RESTART_BACKOFF);
            }
        }
    }

    /**
     * Sends one command over a fresh connection, waiting at most 5 s for the connect and for each read of the
     * reply. Not for {@code WAIT}, which counts the acknowledgements of its own connection's last write: see {@link
     * #writeAndWait}.
     *
     * @return the reply: simple and bulk strings as is, integers in decimal, arrays joined by {@code '\n'},
     *     {@code null} for nil (e.g. {@code GET} of a missing key)
     * @throws RedisReplyException if Redis answers with an error
     * @throws UncheckedIOException if Redis cannot be reached or does not answer in time
     */
    public @Nullable String command(String... commandAndArgs) {
        return command(DEFAULT_COMMAND_TIMEOUT, commandAndArgs);
    }

    /**
     * Like {@link #command(String...)}, with {@code timeout} bounding the connect and each socket read; a paused
     * node makes this fail with an {@link UncheckedIOException} caused by a {@link java.net.SocketTimeoutException}.
     */
    public @Nullable String command(Duration timeout, String... commandAndArgs) {
        if (commandAndArgs.length == 0) {
            throw new IllegalArgumentException("No command given");
        }
        try {
            return Resp.call(host, port, timeout, commandAndArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Redis at " + uri() + " did not answer " + commandAndArgs[0] + " within " + timeout, e);
        }
    }

    /**
     * Sends {@code write}, then {@code WAIT replicas timeout}, on one connection, and returns how many replicas have
     * acknowledged the write (and so everything this node replicated before it).
     *
     * <p>The two must share a connection: WAIT waits for the replication offset of its own connection's last write,
     * so on a fresh connection, which wrote nothing, it returns at once with the number of replicas that are merely
     * connected, whatever they have received. A replica can be connected and still receive nothing: after a diskless
     * full sync, Redis starts the stream only on the replica's next acknowledgement (up to a second later).
     *
     * @return how many replicas acknowledged the write within {@code timeout}; may exceed {@code replicas}
     * @throws RedisReplyException if Redis answers the write with an error
     * @throws UncheckedIOException if Redis cannot be reached, or does not answer within {@code timeout} plus 5 s
     */
    public int writeAndWait(int replicas, Duration timeout, String... write) {
        if (write.length == 0) {
            throw new IllegalArgumentException("No write command given");
        }
        List<List<String>> commands =
                List.of(List.of(write), List.of("WAIT", Integer.toString(replicas), Long.toString(timeout.toMillis())));
        Duration socketTimeout = timeout.plus(DEFAULT_COMMAND_TIMEOUT);
        try {
            return Integer.parseInt(String.valueOf(
                    Resp.callAll(host, port, socketTimeout, commands).get(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Redis at " + uri() + " did not answer " + write[0] + " and WAIT within " + socketTimeout, e);
        }
    }

    /** {@code FLUSHALL}: empties every database of this node. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /**
     * Stops the server (resuming it first if paused, escalating to SIGKILL after 10 s), releases the port and deletes
     * the node directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (instance.isAlive()) {
                stopForClose();
            } else {
                instance.kill(STOP_TIMEOUT); // releases bookkeeping (pid file) of a server that died by itself
            }
        } finally {
            closed = true;
            paused = false;
            FreePorts.release(port, clusterBus);
            FixtureDirectories.deleteRecursively(directory);
        }
    }

    private void stopForClose() {
        if (paused) {
            try {
                instance.resume();
            } catch (RuntimeException e) {
                instance.kill(STOP_TIMEOUT); // SIGKILL reaches a stopped process too; close must not leak it
                return;
            }
        }
        instance.terminate(STOP_TIMEOUT);
    }

    @Override
    public synchronized String toString() {
        String state = closed ? "closed" : paused ? "paused" : instance.isAlive() ? "running" : "down";
        return "RedisNode[" + uri() + ", " + state + ", " + binary.source() + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("RedisNode " + uri() + " is closed");
        }
    }

    private void ensureRunning(String action) {
        ensureOpen();
        if (!instance.isAlive()) {
            throw new IllegalStateException("Cannot " + action + " RedisNode " + uri() + ": it is not running");
        }
    }
}
