package io.sessionlocking.testsupport.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server that echoes each connection's bytes back, one connection at a time, and closes a connection once
 * the client has half-closed it and everything was echoed. Ends its thread on {@link #close()} (bounded by 5 s).
 */
final class EchoServer implements AutoCloseable {

    private final ServerSocket server;

    private final Thread thread;

    EchoServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "echo-server-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[8192];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // closed by close(), or a connection reset by the proxy: serve the next one
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        TimeUnit.SECONDS.timedJoin(thread, 5);
    }
}
