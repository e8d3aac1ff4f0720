package io.sessionlocking.spring.actuate;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The most recent durations recorded within a time window, for percentiles: a ring of at most {@code capacity}
 * samples, each stamped with when it was recorded. Old samples fall out by age or when the ring wraps. Recording is
 * O(1); a snapshot copies and sorts, which only the endpoint does. Thread-safe (synchronized: both operations are
 * short).
 */
final class SampleWindow {

    private final long[] values;
    private final long[] stamps;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private int next;
    private int size;

    SampleWindow(int capacity, long windowNanos, LongSupplier nanoTime) {
        this.values = new long[capacity];
        this.stamps = new long[capacity];
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
    }

    synchronized void record(long nanos) {
        values[next] = nanos;
        stamps[next] = nanoTime.getAsLong();
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    synchronized TimePercentiles snapshot() {
        long now = nanoTime.getAsLong();
        long[] recent = new long[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (now - stamps[i] <= windowNanos) {
                recent[count++] = values[i];
            }
        }
        if (count == 0) {
            return new TimePercentiles(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return new TimePercentiles(
                count,
                millis(at(sorted, 0.50)),
                millis(at(sorted, 0.95)),
                millis(at(sorted, 0.99)),
                millis(sorted[count - 1]));
    }

    /** Nearest-rank percentile. */
    private static long at(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(rank - 1, 0)];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
