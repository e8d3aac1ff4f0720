package io.sessionlocking.testsupport.net;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The faults a {@link TcpProxy} currently injects, per {@link Direction}, and the wait each one imposes on a chunk of
 * bytes before it is forwarded. Thread-safe: all state is guarded by this object's monitor, and every change wakes
 * every waiting pump so that it re-evaluates its chunk against the new state at once.
 */
final class ProxyFaults {

    /** What a pump does with the chunk it holds. */
    enum Verdict {
        FORWARD,
        DISCARD,
        /** The proxy or the connection closed while the chunk was held. */
        CLOSED
    }

    private final long[] latencyNanos = new long[2];

    private final boolean[] stalled = new boolean[2];

    /** Whether a stall ends by itself, at {@link #stallDeadline} ({@link System#nanoTime()} units). */
    private final boolean[] stallBounded = new boolean[2];

    private final long[] stallDeadline = new long[2];

    private final boolean[] dropping = new boolean[2];

    private boolean refusing;

    private boolean closed;

    synchronized void latency(Direction direction, Duration delay) {
        latencyNanos[direction.ordinal()] = delay.toNanos();
        notifyAll();
    }

    /** Stalls {@code direction} until healed, or for {@code duration} when it is not {@code null}. */
    synchronized void stall(Direction direction, @Nullable Duration duration) {
        int i = direction.ordinal();
        stalled[i] = true;
        stallBounded[i] = duration != null;
        stallDeadline[i] = duration == null ? 0 : System.nanoTime() + duration.toNanos();
        notifyAll();
    }

    synchronized void drop(Direction direction) {
        dropping[direction.ordinal()] = true;
        notifyAll();
    }

    synchronized void refuse() {
        refusing = true;
    }

    synchronized boolean refusing() {
        return refusing;
    }

    synchronized boolean isStalled(Direction direction) {
        return stalledNow(direction.ordinal(), System.nanoTime());
    }

    synchronized boolean isDropping(Direction direction) {
        return dropping[direction.ordinal()];
    }

    synchronized Duration latency(Direction direction) {
        return Duration.ofNanos(latencyNanos[direction.ordinal()]);
    }

    /** Back to a clean network: no latency, stall, drop or refusal. Held chunks are released at once. */
    synchronized void heal() {
        for (int i = 0; i < 2; i++) {
            latencyNanos[i] = 0;
            stalled[i] = false;
            stallBounded[i] = false;
            dropping[i] = false;
        }
        refusing = false;
        notifyAll();
    }

    /** Releases every waiting pump with {@link Verdict#CLOSED}; permanent. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Wakes waiting pumps so that they re-check their connection's {@code cancelled} condition. */
    synchronized void wakeAll() {
        notifyAll();
    }

    /**
     * Blocks until the chunk read at {@code readAtNanos} may be forwarded (its latency has elapsed and its direction is
     * not stalled), must be discarded (its direction drops), or is moot ({@code cancelled} holds or the proxy closed).
     * A stall until healed blocks without a deadline; {@link #heal()}, {@link #close()} and {@link #wakeAll()} end it.
     */
    synchronized Verdict await(Direction direction, long readAtNanos, BooleanSupplier cancelled)
            throws InterruptedException {
        int i = direction.ordinal();
        while (true) {
            if (closed || cancelled.getAsBoolean()) {
                return Verdict.CLOSED;
            }
            if (dropping[i]) {
                return Verdict.DISCARD;
            }
            long now = System.nanoTime();
            if (stalledNow(i, now)) {
                if (stallBounded[i]) {
                    TimeUnit.NANOSECONDS.timedWait(this, stallDeadline[i] - now);
                } else {
                    wait();
                }
                continue;
            }
            long remaining = readAtNanos + latencyNanos[i] - now;
            if (remaining <= 0) {
                return Verdict.FORWARD;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    private boolean stalledNow(int i, long now) {
        return stalled[i] && (!stallBounded[i] || now - stallDeadline[i] < 0);
    }
}
