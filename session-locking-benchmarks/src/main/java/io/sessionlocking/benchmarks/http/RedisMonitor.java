package io.sessionlocking.benchmarks.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Redis's {@code MONITOR} feed while it is open: every command Redis runs, with who sent it, so that the commands a
 * client sent (its round trips) are told apart from the ones its scripts ran inside Redis ({@code [0 lua]}), which
 * {@code INFO commandstats} counts alike. Slows Redis down: open it only around a counting phase, never around a
 * throughput measurement. Not thread-safe; one reader thread.
 */
final class RedisMonitor implements AutoCloseable {

    /** Commands of monitoring and set-up, not of sessions. */
    private static final Set<String> IGNORED =
            Set.of("info", "monitor", "ping", "hello", "client", "select", "config", "command");

    /** Whether {@code command} (lower case) is monitoring or connection set-up rather than session work. */
    static boolean isIgnored(String command) {
        return IGNORED.contains(command);
    }

    private final Socket socket;
    private final Thread reader;
    private final Map<String, Long> sent = new TreeMap<>();
    private final Map<String, Long> inScripts = new TreeMap<>();
    private volatile boolean closing;

    private RedisMonitor(Socket socket) {
        this.socket = socket;
        this.reader = new Thread(this::read, "redis-monitor");
        this.reader.setDaemon(true);
    }

    static RedisMonitor open(String host, int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RedisMonitor monitor = new RedisMonitor(socket);
            monitor.reader.start();
            return monitor;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open MONITOR on " + host + ":" + port, e);
        }
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            while (!closing) {
                String line;
                try {
                    line = lines.readLine();
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                if (line == null) {
                    return;
                }
                count(line);
            }
        } catch (IOException e) {
            if (!closing) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code +1733090000.123456 [0 127.0.0.1:54321] "EVALSHA" "..."} or {@code ... [0 lua] "hgetall" ...}. */
    private synchronized void count(String line) {
        int source = line.indexOf('[');
        int end = line.indexOf(']', source);
        int quote = line.indexOf('"', end);
        if (source < 0 || end < 0 || quote < 0) {
            return;
        }
        int close = line.indexOf('"', quote + 1);
        String command = line.substring(quote + 1, close).toLowerCase(java.util.Locale.ROOT);
        if (IGNORED.contains(command)) {
            return;
        }
        Map<String, Long> into = line.substring(source, end).endsWith("lua") ? inScripts : sent;
        into.merge(command, 1L, Long::sum);
    }

    /** Waits (up to {@code timeout}) until the feed has been quiet for 200 ms: Redis sends it behind the commands. */
    void awaitQuiet(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        while (System.nanoTime() - deadline < 0) {
            long now;
            synchronized (this) {
                now = total(sent) + total(inScripts);
            }
            if (now == seen) {
                return;
            }
            seen = now;
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
    }

    /** Commands clients sent since opening, by name: each one a round trip. */
    synchronized Map<String, Long> sent() {
        return new TreeMap<>(sent);
    }

    /** Commands scripts ran inside Redis since opening, by name. */
    synchronized Map<String, Long> inScripts() {
        return new TreeMap<>(inScripts);
    }

    /** Stops reading; what was counted so far stays readable. */
    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
            reader.join(5_000);
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
