package io.sessionlocking.benchmarks;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The span of {@link System#nanoTime()} in which a scenario's threads count what they do: it opens 20 ms plus the
 * warm-up after it is created, and stays open for its length. Times are compared by difference, as nanoTime wants.
 */
final class MeasurementWindow {

    private static final Duration START_DELAY = Duration.ofMillis(20);

    private final long start;
    private final long end;

    private MeasurementWindow(long start, long end) {
        this.start = start;
        this.end = end;
    }

    static MeasurementWindow afterWarmup(Duration warmup, Duration length) {
        long start = System.nanoTime() + START_DELAY.toNanos() + warmup.toNanos();
        return new MeasurementWindow(start, start + length.toNanos());
    }

    /** Whether {@code at} lies in the window. */
    boolean contains(long at) {
        return at - start >= 0 && at - end < 0;
    }

    /** Whether an operation from {@code from} to {@code to} lies wholly in the window. */
    boolean containsSpan(long from, long to) {
        return from - start >= 0 && to - end < 0;
    }

    /** Whether the window is over at {@code at}. */
    boolean isOverAt(long at) {
        return at - end >= 0;
    }

    /** Waits for the window to open and to close, and returns Redis's command counts at each. */
    Observed observe(RedisNode redis) {
        parkUntil(start);
        CommandStats before = CommandStats.of(redis);
        parkUntil(end);
        return new Observed(before, CommandStats.of(redis));
    }

    /** Parks the calling thread until {@code nanoTime} on the {@link System#nanoTime()} clock. */
    static void parkUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Redis's command counts when the window opened and when it closed. */
    record Observed(CommandStats before, CommandStats after) {

        long requests() {
            return after.requestsSince(before);
        }
    }
}
