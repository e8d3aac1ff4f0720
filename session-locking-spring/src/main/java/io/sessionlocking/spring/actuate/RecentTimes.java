package io.sessionlocking.spring.actuate;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.springframework.util.ClassUtils;

/**
 * Durations over the recent window, for the endpoint: the count in the window, p50, p95, p99 and the maximum.
 * Percentiles and maximum are Micrometer's time-window histogram and maximum (the same machinery as a {@code Timer}
 * with {@code publishPercentiles}; the window rotates in three steps, so it covers between two thirds of it and all
 * of it). Without Micrometer on the classpath only the count and the maximum are kept. Thread-safe.
 */
abstract class RecentTimes {

    private static final boolean MICROMETER = ClassUtils.isPresent(
            "io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram",
            RecentTimes.class.getClassLoader());

    private static final int BUFFER_LENGTH = 3;

    final WindowedCount count;

    private RecentTimes(Duration window, LongSupplier nanoTime) {
        this.count = new WindowedCount(window, nanoTime);
    }

    static RecentTimes create(Duration window, LongSupplier nanoTime) {
        return MICROMETER ? new Micrometer(window, nanoTime) : new CountAndMax(window, nanoTime);
    }

    void record(long nanos) {
        count.increment();
        recordValue(nanos);
    }

    abstract void recordValue(long nanos);

    abstract TimePercentiles snapshot();

    private static double millis(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Micrometer's windowed histogram and maximum. */
    private static final class Micrometer extends RecentTimes {

        private final TimeWindowPercentileHistogram histogram;
        private final TimeWindowMax max;

        Micrometer(Duration window, LongSupplier nanoTime) {
            super(window, nanoTime);
            Clock clock = new Clock() {
                @Override
                public long wallTime() {
                    return TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong());
                }

                @Override
                public long monotonicTime() {
                    return nanoTime.getAsLong();
                }
            };
            DistributionStatisticConfig config = DistributionStatisticConfig.builder()
                    .percentiles(0.5, 0.95, 0.99)
                    .percentilePrecision(2)
                    .expiry(window)
                    .bufferLength(BUFFER_LENGTH)
                    .build()
                    .merge(DistributionStatisticConfig.DEFAULT);
            this.histogram = new TimeWindowPercentileHistogram(clock, config, false);
            // Its constructor takes the time between rotations, not the whole window as the histogram does.
            this.max = new TimeWindowMax(clock, window.toMillis() / BUFFER_LENGTH, BUFFER_LENGTH);
        }

        @Override
        void recordValue(long nanos) {
            histogram.recordLong(nanos);
            max.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        TimePercentiles snapshot() {
            long inWindow = count.count();
            if (inWindow == 0) {
                return new TimePercentiles(0, 0, 0, 0, 0);
            }
            double maxMillis = max.poll(TimeUnit.MILLISECONDS);
            HistogramSnapshot snapshot = histogram.takeSnapshot(inWindow, 0, maxMillis);
            double[] values = new double[3];
            for (ValueAtPercentile percentile : snapshot.percentileValues()) {
                int index = percentile.percentile() == 0.5 ? 0 : percentile.percentile() == 0.95 ? 1 : 2;
                // Never above the exact maximum: the histogram's buckets round values up.
                values[index] = Math.min(percentile.value(TimeUnit.MILLISECONDS), maxMillis);
            }
            return new TimePercentiles(
                    Math.toIntExact(Math.min(inWindow, Integer.MAX_VALUE)),
                    millis(values[0]),
                    millis(values[1]),
                    millis(values[2]),
                    millis(maxMillis));
        }
    }

    /** Without Micrometer: the count and the largest value since the window's count last fell to zero. */
    private static final class CountAndMax extends RecentTimes {

        private long maxNanos;

        CountAndMax(Duration window, LongSupplier nanoTime) {
            super(window, nanoTime);
        }

        @Override
        synchronized void recordValue(long nanos) {
            maxNanos = Math.max(maxNanos, nanos);
        }

        @Override
        synchronized TimePercentiles snapshot() {
            long inWindow = count.count();
            if (inWindow == 0) {
                maxNanos = 0;
                return new TimePercentiles(0, 0, 0, 0, 0);
            }
            return new TimePercentiles(
                    Math.toIntExact(Math.min(inWindow, Integer.MAX_VALUE)), 0, 0, 0, millis(maxNanos / 1e6));
        }
    }
}
