package io.sessionlocking.testsupport.net;

import io.sessionlocking.testsupport.net.ProxyFaults.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client connection through a {@link TcpProxy} and its connection to the target, with one pump thread per
 * {@link Direction}. Each pump reads a chunk (at most {@value #CHUNK_BYTES} bytes, whatever the peer has sent by then),
 * holds it as {@link ProxyFaults#await} says, then writes or discards it; it does not read the next chunk meanwhile, so
 * a stalled direction back-pressures its sender through TCP instead of buffering without bound.
 *
 * <p>An end of stream is forwarded as a half-close ({@link Socket#shutdownOutput()}) and is subject to the same faults
 * as data. A direction that discarded bytes has a hole in its stream, which a real TCP connection never resumes after:
 * the connection is reset when that direction would forward again (and eagerly by {@link TcpProxy#heal()}); the other
 * direction keeps forwarding meanwhile, like an asymmetric partition. A read or write error on either
 * side, e.g. a peer reset, resets both sides. Thread-safe; {@link #reset()} and {@link #isDamaged()} may be called from
 * any thread.
 */
final class ProxyConnection {

    static final int CHUNK_BYTES = 16 * 1024;

    private final String name;

    private final Socket client;

    private final Socket upstream;

    private final ProxyFaults faults;

    private final Traffic traffic;

    private final Consumer<ProxyConnection> onFinished;

    private final Thread upstreamPump;

    private final Thread downstreamPump;

    private final AtomicBoolean reset = new AtomicBoolean();

    private final AtomicInteger finishedPumps = new AtomicInteger();

    /** Per {@link Direction}: whether that direction discarded bytes. */
    private final AtomicBoolean[] damaged = {new AtomicBoolean(), new AtomicBoolean()};

    ProxyConnection(
            String name,
            Socket client,
            Socket upstream,
            ProxyFaults faults,
            Traffic traffic,
            Consumer<ProxyConnection> onFinished) {
        this.name = name;
        this.client = client;
        this.upstream = upstream;
        this.faults = faults;
        this.traffic = traffic;
        this.onFinished = onFinished;
        this.upstreamPump = daemon(name + "-up", () -> pump(Direction.UPSTREAM, client, upstream));
        this.downstreamPump = daemon(name + "-down", () -> pump(Direction.DOWNSTREAM, upstream, client));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    void start() {
        upstreamPump.start();
        downstreamPump.start();
    }

    /** Whether bytes were discarded in either direction, so that the stream can never be resumed. */
    boolean isDamaged() {
        return damaged[0].get() || damaged[1].get();
    }

    /** Closes both sockets with a TCP reset (no lingering); idempotent. Pumps end promptly, see {@link #join}. */
    void reset() {
        if (reset.compareAndSet(false, true)) {
            resetQuietly(client);
            resetQuietly(upstream);
            faults.wakeAll(); // a pump held by a stall or latency must notice now, not when the fault ends
        }
    }

    /** Waits until both pumps have ended or the deadline ({@link System#nanoTime()}) passes. */
    boolean join(long deadlineNanos) throws InterruptedException {
        for (Thread pump : new Thread[] {upstreamPump, downstreamPump}) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                TimeUnit.NANOSECONDS.timedJoin(pump, remaining);
            }
        }
        return !upstreamPump.isAlive() && !downstreamPump.isAlive();
    }

    boolean hasLivePumps() {
        return upstreamPump.isAlive() || downstreamPump.isAlive();
    }

    private void pump(Direction direction, Socket from, Socket to) {
        byte[] chunk = new byte[CHUNK_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int read = in.read(chunk);
                Verdict verdict = faults.await(direction, System.nanoTime(), reset::get);
                if (verdict == Verdict.CLOSED) {
                    reset();
                    return;
                }
                if (verdict == Verdict.DISCARD) {
                    damaged[direction.ordinal()].set(true);
                    if (read < 0) {
                        return; // the end of stream is lost too; heal() resets the connection
                    }
                    traffic.dropped(direction, read);
                    continue;
                }
                if (damaged[direction.ordinal()].get()) {
                    reset();
                    return;
                }
                if (read < 0) {
                    to.shutdownOutput();
                    return;
                }
                out.write(chunk, 0, read);
                out.flush();
                traffic.forwarded(direction, read);
            }
        } catch (IOException e) {
            reset(); // a socket closed by cut() or close(), or a peer reset: the connection is over for both sides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
        } finally {
            if (finishedPumps.incrementAndGet() == 2) {
                closeQuietly(client);
                closeQuietly(upstream);
                onFinished.accept(this);
            }
        }
    }

    @Override
    public String toString() {
        return name + (reset.get() ? " (reset)" : "") + (isDamaged() ? " (damaged)" : "");
    }

    static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing left to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort; the socket is unusable either way
        }
    }
}
