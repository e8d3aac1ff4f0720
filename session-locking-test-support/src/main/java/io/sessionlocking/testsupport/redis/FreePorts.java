package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks free loopback ports for nodes and keeps them reserved inside this JVM for the node's lifetime, so that a node
 * killed for a fault test can be restarted on its port without another node of the same JVM having taken it. Other
 * processes can still grab a port between the probe and the server's bind; callers retry with a new port then.
 *
 * <p>Thread-safe: all methods synchronize on the class.
 */
final class FreePorts {

    /** The shared developer Redis: never probed, never handed out, also not as a cluster bus port. */
    static final int SHARED_REDIS_PORT = 6379;

    static final int CLUSTER_BUS_OFFSET = 10000;

    private static final int MAX_PROBES = 100;

    /** Explicitly IPv4: nodes bind 127.0.0.1, whatever java.net.preferIPv6Addresses says. */
    private static final InetAddress LOOPBACK = loopbackIpv4();

    private static final Set<Integer> reserved = new HashSet<>();

    private FreePorts() {}

    /**
     * Reserves a port that is free right now on 127.0.0.1.
     *
     * @param withClusterBus also require {@code port + 10000} to be free (Redis Cluster binds its bus there)
     */
    static synchronized int reserve(boolean withClusterBus) {
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int port = ephemeralPort();
            if (isAcceptable(port, withClusterBus)) {
                reserved.add(port);
                if (withClusterBus) {
                    reserved.add(port + CLUSTER_BUS_OFFSET);
                }
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port found after " + MAX_PROBES + " probes");
    }

    /** Releases a reservation made by {@link #reserve(boolean)} with the same {@code withClusterBus}. */
    static synchronized void release(int port, boolean withClusterBus) {
        reserved.remove(port);
        if (withClusterBus) {
            reserved.remove(port + CLUSTER_BUS_OFFSET);
        }
    }

    private static boolean isAcceptable(int port, boolean withClusterBus) {
        if (port == SHARED_REDIS_PORT || reserved.contains(port)) {
            return false;
        }
        if (!withClusterBus) {
            return true;
        }
        int bus = port + CLUSTER_BUS_OFFSET;
        return bus <= 65535 && bus != SHARED_REDIS_PORT && !reserved.contains(bus) && canBind(bus);
    }

    private static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot bind a probe socket on the loopback interface", e);
        }
    }

    private static InetAddress loopbackIpv4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError("A literal IPv4 address always resolves", e);
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
