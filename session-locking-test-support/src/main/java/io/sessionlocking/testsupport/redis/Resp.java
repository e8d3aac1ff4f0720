package io.sessionlocking.testsupport.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A one-shot RESP2 client over a plain socket, so the fixture can probe and configure Redis without depending on a
 * Redis client library. Each call opens and closes its own connection, which makes it safe to use from any thread and
 * keeps a paused server from wedging a shared connection.
 */
final class Resp {

    private Resp() {}

    /**
     * Sends one command and returns its reply flattened to a string.
     *
     * <p>{@code timeout} bounds the connect and every individual socket read.
     *
     * @return simple strings and bulk strings as is, integers in decimal, arrays as their elements joined by
     *     {@code '\n'}, and {@code null} for a nil bulk string or nil array
     * @throws RedisReplyException if Redis answers with an error reply
     * @throws IOException if Redis cannot be reached or does not answer in time ({@link java.net.SocketTimeoutException})
     */
    static @Nullable String call(String host, int port, Duration timeout, String... args) throws IOException {
        return callAll(host, port, timeout, List.of(List.of(args))).get(0);
    }

    /**
     * Sends several commands on one connection, all at once, and returns their replies in order; for commands that
     * depend on the connection, e.g. {@code WAIT} after a write. Like {@link #call} otherwise; an error reply fails the
     * whole call.
     */
    static List<@Nullable String> callAll(String host, int port, Duration timeout, List<List<String>> commands)
            throws IOException {
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            for (List<String> command : commands) {
                out.write(encode(command.toArray(String[]::new)));
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<@Nullable String> replies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                replies.add(readReply(in));
            }
            return replies;
        }
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        writeAscii(buffer, "*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            writeAscii(buffer, "$" + bytes.length + "\r\n");
            buffer.writeBytes(bytes);
            writeAscii(buffer, "\r\n");
        }
        return buffer.toByteArray();
    }

    static @Nullable String readReply(InputStream in) throws IOException {
        int type = in.read();
        if (type == -1) {
            throw new EOFException("Redis closed the connection before replying");
        }
        String line = readLine(in);
        switch (type) {
            case '+':
            case ':':
                return line;
            case '-':
                throw new RedisReplyException(line);
            case '$':
                return readBulk(in, Integer.parseInt(line));
            case '*':
                return readArray(in, Integer.parseInt(line));
            default:
                throw new IOException("Unexpected RESP type byte '" + (char) type + "' followed by: " + line);
        }
    }

    private static @Nullable String readBulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("Redis closed the connection in the middle of a bulk reply");
        }
        readLine(in); // the CRLF that terminates the payload
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static @Nullable String readArray(InputStream in, int count) throws IOException {
        if (count < 0) {
            return null;
        }
        List<String> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String element = readReply(in);
            elements.add(element == null ? "" : element);
        }
        return String.join("\n", elements);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("Redis closed the connection in the middle of a reply");
            }
            if (b == '\r') {
                int next = in.read();
                if (next == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
                if (next == -1) {
                    throw new EOFException("Redis closed the connection in the middle of a reply");
                }
                line.write(next);
            } else {
                line.write(b);
            }
        }
    }

    private static void writeAscii(ByteArrayOutputStream buffer, String text) {
        buffer.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
