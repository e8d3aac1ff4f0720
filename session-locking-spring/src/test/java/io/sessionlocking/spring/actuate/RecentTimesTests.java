package io.sessionlocking.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The endpoint's windowed figures, with time moved by hand. */
class RecentTimesTests {

    private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());
    private final RecentTimes times = RecentTimes.create(Duration.ofMinutes(1), now::get);

    @Test
    void percentilesAndMaximumOfTheWindow() {
        for (int millis = 1; millis <= 100; millis++) {
            times.record(Duration.ofMillis(millis).toNanos());
        }

        TimePercentiles snapshot = times.snapshot();

        assertThat(snapshot.count()).isEqualTo(100);
        assertThat(snapshot.max()).isEqualTo(100.0);
        assertThat(snapshot.p50()).isCloseTo(50, within(3.0));
        assertThat(snapshot.p95()).isCloseTo(95, within(3.0));
        assertThat(snapshot.p99()).isCloseTo(99, within(3.0)).isLessThanOrEqualTo(snapshot.max());
    }

    @Test
    void oldDurationsLeaveTheWindow() {
        times.record(Duration.ofSeconds(5).toNanos());
        now.addAndGet(Duration.ofSeconds(61).toNanos());

        assertThat(times.snapshot()).isEqualTo(new TimePercentiles(0, 0, 0, 0, 0));

        times.record(Duration.ofMillis(7).toNanos());
        TimePercentiles snapshot = times.snapshot();
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.max()).isEqualTo(7.0);
    }

    @Test
    void theWindowedCountSlidesBySeconds() {
        WindowedCount count = new WindowedCount(Duration.ofMinutes(1), now::get);
        count.increment();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        count.increment();
        count.increment();

        assertThat(count.count()).isEqualTo(3);
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(count.count()).isEqualTo(2);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(count.count()).isZero();
    }
}
