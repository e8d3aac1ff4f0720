package io.sessionlocking.example.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A redis-server from the embedded-redis jar on a free loopback port, for the demo only: no persistence (nothing is
 * written to disk), stopped by {@link #close()}.
 */
final class EmbeddedRedis implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server and returns once it accepts connections; another process may take the chosen free port before
     * the server binds it, so a failed start is retried on a new port.
     */
    static EmbeddedRedis start() {
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                RedisServer server = RedisServer.newRedisServer()
                        .bind(HOST)
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                server.start();
                return new EmbeddedRedis(server, port);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("Could not start the embedded Redis", last);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded Redis on port " + port, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the embedded Redis", e);
        }
    }
}
