package io.sessionlocking.example.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends {@code PING} over a plain socket and expects {@code +PONG}. Anything else (nothing listening, another
 * protocol, a Redis that wants a password) counts as no usable Redis. Connect and read are each bounded by the
 * timeout.
 */
final class PingProbe implements RedisProbe {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int timeoutMillis;

    PingProbe() {
        this(DEFAULT_TIMEOUT);
    }

    PingProbe(Duration timeout) {
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    @Override
    public boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(PING);
            out.flush();
            return readsPong(socket.getInputStream());
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean readsPong(InputStream in) throws IOException {
        for (byte expected : PONG) {
            if (in.read() != expected) {
                return false;
            }
        }
        return true;
    }
}
