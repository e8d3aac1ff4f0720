package io.sessionlocking.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.LockSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryDelaysTests {

    @Test
    void fixedBackoffAlwaysWaitsTheRetryDelay() {
        RetryDelays delays = new RetryDelays(LockSettings.defaults());
        for (int attempt = 1; attempt < 100; attempt++) {
            assertThat(delays.nextDelay(attempt)).isEqualTo(LockSettings.DEFAULT_RETRY_DELAY);
        }
    }

    @Test
    void exponentialBackoffStaysWithinTheGrowingCeilingAndTheCap() {
        LockSettings settings = LockSettings.builder()
                .backoff(LockSettings.Backoff.EXPONENTIAL)
                .retryDelay(Duration.ofMillis(4))
                .maxRetryDelay(Duration.ofMillis(100))
                .build();
        RetryDelays delays = new RetryDelays(settings);
        long maxSeenAtCap = 0;
        for (int i = 0; i < 2000; i++) {
            assertThat(delays.nextDelay(1)).isBetween(Duration.ZERO, Duration.ofMillis(4));
            assertThat(delays.nextDelay(3)).isBetween(Duration.ZERO, Duration.ofMillis(16));
            Duration capped = delays.nextDelay(1_000);
            assertThat(capped).isBetween(Duration.ZERO, Duration.ofMillis(100));
            maxSeenAtCap = Math.max(maxSeenAtCap, capped.toMillis());
        }
        assertThat(maxSeenAtCap).as("jitter spreads up to the cap").isGreaterThan(80);
    }
}
