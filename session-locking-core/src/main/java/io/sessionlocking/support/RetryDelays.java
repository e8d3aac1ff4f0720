package io.sessionlocking.support;

import io.sessionlocking.core.LockSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before the next attempt, by the settings' {@link LockSettings.Backoff}. Stateless and thread-safe.
 * Internal helper.
 */
public final class RetryDelays {

    private final LockSettings.Backoff backoff;
    private final long baseNanos;
    private final long capNanos;

    public RetryDelays(LockSettings settings) {
        this.backoff = settings.backoff();
        this.baseNanos = settings.retryDelay().toNanos();
        this.capNanos = settings.maxRetryDelay().toNanos();
    }

    /**
     * The pause after the {@code attempt}-th failed attempt (1-based): the retry delay under {@code FIXED}; under
     * {@code EXPONENTIAL} a uniformly random pause in {@code [0, min(cap, base x 2^(attempt-1))]} ("full jitter").
     */
    public long nextDelayNanos(int attempt) {
        if (backoff == LockSettings.Backoff.FIXED) {
            return baseNanos;
        }
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = baseNanos > (capNanos >> shift) ? capNanos : Math.min(capNanos, baseNanos << shift);
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    public Duration nextDelay(int attempt) {
        return Duration.ofNanos(nextDelayNanos(attempt));
    }
}
