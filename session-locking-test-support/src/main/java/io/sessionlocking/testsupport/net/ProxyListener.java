package io.sessionlocking.testsupport.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The listening side of a {@link TcpProxy}: a server socket on a free port of 127.0.0.1 and one acceptor thread that
 * connects each accepted client to the target (bounded by 2 s) and starts a {@link ProxyConnection}, or resets the
 * client when refusing or when the target cannot be reached. Thread-safe.
 */
final class ProxyListener {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<InetSocketAddress> target;

    private final ServerSocket server;

    private final String name;

    private final ProxyFaults faults;

    private final Traffic traffic;

    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();

    private final AtomicLong accepted = new AtomicLong();

    private final AtomicLong refused = new AtomicLong();

    private final Thread acceptor;

    private volatile boolean closed;

    ProxyListener(Supplier<InetSocketAddress> target, ProxyFaults faults, Traffic traffic) {
        this.target = target;
        this.faults = faults;
        this.traffic = traffic;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot bind a TcpProxy on the loopback interface", e);
        }
        this.name = "tcp-proxy-" + server.getLocalPort();
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    String name() {
        return name;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** A snapshot of the open connections. */
    List<ProxyConnection> connections() {
        return List.copyOf(connections);
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    /**
     * Stops accepting and waits for the acceptor until {@code deadlineNanos}; once it has ended, {@link #connections()}
     * can no longer grow.
     *
     * @return whether the acceptor ended
     */
    boolean stop(long deadlineNanos) {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // the acceptor ends either way: it checks closed
        }
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                TimeUnit.NANOSECONDS.timedJoin(acceptor, remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !acceptor.isAlive();
    }

    private void acceptLoop() {
        long ids = 0;
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                pauseAfterAcceptFailure();
                continue;
            }
            accepted.incrementAndGet();
            handle(client, name + "-" + ++ids);
        }
    }

    private void handle(Socket client, String connectionName) {
        if (faults.refusing() || closed) {
            refuse(client);
            return;
        }
        try {
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            refuse(client); // reset by the client already
            return;
        }
        Socket upstream = connectUpstream();
        if (upstream == null) {
            refuse(client);
            return;
        }
        ProxyConnection connection =
                new ProxyConnection(connectionName, client, upstream, faults, traffic, connections::remove);
        connections.add(connection);
        connection.start();
    }

    private @Nullable Socket connectUpstream() {
        Socket upstream = new Socket();
        try {
            upstream.setTcpNoDelay(true);
            upstream.connect(target.get(), Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            return upstream;
        } catch (IOException | RuntimeException e) {
            ProxyConnection.resetQuietly(upstream);
            return null;
        }
    }

    private void refuse(Socket client) {
        refused.incrementAndGet();
        ProxyConnection.resetQuietly(client);
    }

    /** E.g. out of file descriptors: retrying at once would spin. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
