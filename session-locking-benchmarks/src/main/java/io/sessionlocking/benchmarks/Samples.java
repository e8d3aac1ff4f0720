package io.sessionlocking.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Durations in nanoseconds recorded by one thread; merged and sorted for percentiles after the run. Not thread-safe. */
final class Samples {

    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** All samples of {@code parts}, sorted. */
    static Sorted merge(List<Samples> parts) {
        int total = parts.stream().mapToInt(Samples::size).sum();
        long[] all = new long[total];
        int at = 0;
        for (Samples part : parts) {
            System.arraycopy(part.values, 0, all, at, part.size);
            at += part.size;
        }
        Arrays.sort(all);
        return new Sorted(all);
    }

    /** Sorted samples. */
    static final class Sorted {

        private final long[] sorted;

        private Sorted(long[] sorted) {
            this.sorted = sorted;
        }

        int count() {
            return sorted.length;
        }

        /** The nearest-rank percentile ({@code p} in [0, 100]); 0 when there are no samples. */
        long percentile(double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
        }

        long max() {
            return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }

        double mean() {
            if (sorted.length == 0) {
                return 0;
            }
            double sum = 0;
            for (long value : sorted) {
                sum += value;
            }
            return sum / sorted.length;
        }
    }
}
