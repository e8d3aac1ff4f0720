package io.sessionlocking.testsupport.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An in-process TCP proxy on a free loopback port in front of a loopback target (typically a {@link
 * io.sessionlocking.testsupport.redis.RedisNode}), injecting network faults for tests:
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(node.address())) {
 *     RedisClient client = RedisClient.create(proxy.redisUri());
 *     proxy.latency(Direction.DOWNSTREAM, Duration.ofMillis(20)); // every reply 20 ms late
 *     proxy.stall();                                              // nothing flows; connections stay open
 *     proxy.heal();                                               // held bytes flow again
 * }
 * }</pre>
 *
 * <p><b>Faults.</b> Each applies per {@link Direction} (the overloads without one apply to both) to every connection,
 * current and future, until {@link #heal()}:
 * <ul>
 *   <li>{@link #latency}: each chunk read is written no earlier than the delay after it was read. Chunks are read one
 *       at a time per direction, so bytes that arrive while a chunk is held wait for it and are read together after
 *       it: a request/response exchange is delayed once per direction, a pipelined burst about once per chunk read.
 *   <li>{@link #stall}: nothing is forwarded; bytes wait in the proxy (one chunk per direction and connection) and in
 *       the kernel's socket buffers, then TCP back-pressures the sender. Connections stay open. Held bytes are
 *       delivered, in order, when the stall ends: at {@link #heal()} or after the given duration.
 *   <li>{@link #drop}: everything read is discarded, like a black hole; connections stay open and senders are not
 *       back-pressured. The other direction keeps forwarding unless dropped too. A connection that lost bytes is
 *       reset by {@link #heal()}, since a stream with a hole can never resume.
 *   <li>{@link #cut()}: every current connection is reset at once (TCP RST to both the client and the target); new
 *       connections are accepted. {@link #cutAndRefuse()} also resets every new connection right after accepting it,
 *       until {@link #heal()}: clients see their connection reset, which stands in for a refused connection while the
 *       proxy keeps its port.
 * </ul>
 *
 * <p><b>Concurrency.</b> All methods are thread-safe and may be called while traffic flows. A fault applies from the
 * moment its method returns to every chunk not yet written, including chunks already held. {@link #cut()}, {@link
 * #heal()} and {@link #close()} return once the connections they reset have released their threads (bounded by 5 s).
 * A connection whose accept races with {@link #cut()} may survive it. Counters are exact once traffic is quiescent and
 * may lag by one chunk while it flows.
 *
 * <p><b>Threads and bounds.</b> One acceptor thread plus two pump threads per open connection, all daemons named
 * {@code tcp-proxy-PORT-...}. Connecting to the target is bounded by 2 s; a target that does not answer the connect
 * in time, or refuses it, gets the client connection reset. {@link #close()} resets everything, waits up to 5 s for
 * every thread to end and throws if one is left behind; it is idempotent.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Duration THREAD_EXIT_TIMEOUT = Duration.ofSeconds(5);

    private final ProxyFaults faults = new ProxyFaults();

    private final Traffic traffic = new Traffic();

    private final ProxyListener listener;

    private volatile boolean closed;

    private TcpProxy(Supplier<InetSocketAddress> target) {
        this.listener = new ProxyListener(target, faults, traffic);
    }

    /** Starts a proxy to {@code target}, listening on a free port of 127.0.0.1. */
    public static TcpProxy start(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        return start(() -> target);
    }

    public static TcpProxy start(String targetHost, int targetPort) {
        return start(new InetSocketAddress(targetHost, targetPort));
    }

    /**
     * Starts a proxy whose target is asked for anew on each accepted connection, so it may move (a restarted node on
     * another port, the master after a failover) or be unknown until the first client connects.
     */
    public static TcpProxy start(Supplier<InetSocketAddress> target) {
        Objects.requireNonNull(target, "target");
        return new TcpProxy(target);
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return listener.address().getPort();
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    /** {@code redis://127.0.0.1:PORT}, for a Redis target. */
    public String redisUri() {
        return "redis://" + host() + ":" + port();
    }

    /** Adds {@code delay} to every chunk in both directions; {@link Duration#ZERO} removes it. */
    public void latency(Duration delay) {
        latency(Direction.UPSTREAM, delay);
        latency(Direction.DOWNSTREAM, delay);
    }

    /** Adds {@code delay} to every chunk flowing in {@code direction}; {@link Duration#ZERO} removes it. */
    public void latency(Direction direction, Duration delay) {
        requireNonNegative(delay, "latency");
        ensureOpen();
        faults.latency(direction, delay);
    }

    /** Stops forwarding in both directions until {@link #heal()}, keeping connections open. */
    public void stall() {
        stall(Direction.UPSTREAM);
        stall(Direction.DOWNSTREAM);
    }

    /** Stops forwarding in {@code direction} until {@link #heal()}, keeping connections open. */
    public void stall(Direction direction) {
        ensureOpen();
        faults.stall(direction, null);
    }

    /** Stops forwarding in both directions for {@code duration}, then resumes by itself (or earlier on heal). */
    public void stall(Duration duration) {
        stall(Direction.UPSTREAM, duration);
        stall(Direction.DOWNSTREAM, duration);
    }

    /** Stops forwarding in {@code direction} for {@code duration}, then resumes by itself (or earlier on heal). */
    public void stall(Direction direction, Duration duration) {
        requireNonNegative(duration, "stall duration");
        ensureOpen();
        faults.stall(direction, duration);
    }

    /** Whether {@code direction} is stalled right now (a bounded stall stops counting once it has ended). */
    public boolean isStalled(Direction direction) {
        return faults.isStalled(direction);
    }

    /** Discards everything in both directions until {@link #heal()}, keeping connections open. */
    public void drop() {
        drop(Direction.UPSTREAM);
        drop(Direction.DOWNSTREAM);
    }

    /** Discards everything flowing in {@code direction} until {@link #heal()}, keeping connections open. */
    public void drop(Direction direction) {
        ensureOpen();
        faults.drop(direction);
    }

    /** Resets every current connection; new connections are accepted. */
    public void cut() {
        ensureOpen();
        resetAndJoin(listener.connections());
    }

    /** Resets every current connection and every new one until {@link #heal()}. */
    public void cutAndRefuse() {
        ensureOpen();
        faults.refuse();
        resetAndJoin(listener.connections());
    }

    /**
     * Removes every fault: latency, stall, drop and refusal. Held bytes are delivered; connections that lost bytes to
     * {@link #drop} are reset, so their clients reconnect.
     */
    public void heal() {
        ensureOpen();
        faults.heal();
        resetAndJoin(listener.connections().stream()
                .filter(ProxyConnection::isDamaged)
                .toList());
    }

    /** Connections currently open through the proxy. */
    public int openConnections() {
        return listener.connections().size();
    }

    /** Connections accepted since start, including refused ones. */
    public long acceptedConnections() {
        return listener.accepted();
    }

    /** Connections reset right after accepting them, because of {@link #cutAndRefuse()} or an unreachable target. */
    public long refusedConnections() {
        return listener.refused();
    }

    /** Bytes written on to their destination in {@code direction}, over all connections since start. */
    public long bytesForwarded(Direction direction) {
        return traffic.forwarded(direction);
    }

    /** Bytes discarded by {@link #drop} in {@code direction}, over all connections since start. */
    public long bytesDropped(Direction direction) {
        return traffic.dropped(direction);
    }

    /**
     * Stops accepting, resets every connection and waits (bounded by 5 s) for every thread of the proxy to end.
     * Idempotent.
     *
     * @throws IllegalStateException if a thread is still alive after the wait
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        faults.close();
        long deadline = System.nanoTime() + THREAD_EXIT_TIMEOUT.toNanos();
        List<String> leftBehind = new ArrayList<>();
        if (!listener.stop(deadline)) {
            leftBehind.add(listener.name() + "-accept");
        }
        // The acceptor has ended, so no connection can be added behind this snapshot.
        List<ProxyConnection> remaining = listener.connections();
        remaining.forEach(ProxyConnection::reset);
        for (ProxyConnection connection : remaining) {
            if (!join(connection, deadline)) {
                leftBehind.add(connection.toString());
            }
        }
        if (!leftBehind.isEmpty()) {
            throw new IllegalStateException(
                    listener.name() + " threads still alive " + THREAD_EXIT_TIMEOUT + " after close: " + leftBehind);
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + address() + ", " + (closed ? "closed" : openConnections() + " open") + "]";
    }

    private void resetAndJoin(List<ProxyConnection> toReset) {
        toReset.forEach(ProxyConnection::reset);
        long deadline = System.nanoTime() + THREAD_EXIT_TIMEOUT.toNanos();
        for (ProxyConnection connection : toReset) {
            if (!join(connection, deadline)) {
                throw new IllegalStateException(listener.name() + ": a reset connection kept its threads for "
                        + THREAD_EXIT_TIMEOUT + ": " + connection);
            }
        }
    }

    private static boolean join(ProxyConnection connection, long deadline) {
        try {
            return connection.join(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !connection.hasLivePumps();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(listener.name() + " is closed");
        }
    }

    private static void requireNonNegative(Duration duration, String what) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, was " + duration);
        }
    }
}
