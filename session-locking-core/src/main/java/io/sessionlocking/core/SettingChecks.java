package io.sessionlocking.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The range checks of {@link LockSettings}, each failing with an {@link InvalidLockSettingsException} that names the
 * setting, its value and the allowed range, durations written as Spring Boot reads them ({@code 10ms}, {@code 24s}).
 *
 * <p>When two settings conflict (a retry delay longer than the lock's TTL), the one to blame is the one the caller
 * chose: a value left at its default is never named while a chosen one takes part in the conflict, so that {@code
 * lockTtl=5ms} is reported as the lock TTL being too short, not as the default retry delay being too long.
 */
final class SettingChecks {

    private static final long[] UNITS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    private static final String[] SUFFIXES = {"h", "m", "s", "ms", "us"};

    private SettingChecks() {}

    static Duration requireBetween(String setting, @Nullable Duration value, Duration min, Duration max) {
        return requireBetween(setting, value, min, max, "");
    }

    static Duration requireBetween(
            String setting, @Nullable Duration value, Duration min, Duration max, String because) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(setting, value, min, max, because);
        }
        return value;
    }

    /**
     * Checks that a pause fits into the lock's TTL and into the wait, naming the setting the caller chose when it
     * does not.
     */
    static void requireRetryDelayFits(
            Duration retryDelay,
            Duration lockTtl,
            boolean lockTtlExplicit,
            Duration timeout,
            boolean timeoutExplicit,
            Duration maxRequestTime,
            double timeoutFraction,
            Duration maxDuration) {
        boolean ttlTooShort = lockTtl.compareTo(retryDelay) < 0;
        boolean timeoutTooShort = timeout.compareTo(retryDelay) < 0;
        if (!ttlTooShort && !timeoutTooShort) {
            return;
        }
        boolean ttlLimits = ttlTooShort && (!timeoutTooShort || lockTtl.compareTo(timeout) <= 0);
        if (!retryDelay.equals(LockSettings.DEFAULT_RETRY_DELAY)) {
            throw invalid(
                    "retryDelay",
                    retryDelay,
                    LockSettings.MIN_DURATION,
                    ttlLimits ? lockTtl : timeout,
                    ttlLimits ? "at most the lock TTL" : "at most the timeout");
        }
        if (ttlLimits && lockTtlExplicit) {
            throw invalid("lockTtl", lockTtl, retryDelay, maxDuration, "at least the retry delay");
        }
        if (!ttlLimits && timeoutExplicit) {
            throw invalid("timeout", timeout, retryDelay, maxRequestTime, "at least the retry delay");
        }
        // Both derive from the max request time: the TTL equals it, the timeout is the fraction of it.
        Duration smallest =
                ttlLimits ? retryDelay : Duration.ofNanos((long) Math.ceil(retryDelay.toNanos() / timeoutFraction));
        throw invalid(
                "maxRequestTime",
                maxRequestTime,
                smallest,
                maxDuration,
                ttlLimits
                        ? "the lock TTL defaults to it and must be at least the retry delay"
                        : "the timeout, timeout-fraction x max-request-time, must be at least the retry delay");
    }

    /**
     * A renewed lock's TTL must outlast the extension sent a third into it: {@code lockTtl >= 1.5 x commandTimeout}.
     */
    static void requireRenewable(
            Duration lockTtl,
            boolean lockTtlExplicit,
            Duration commandTimeout,
            Duration maxRequestTime,
            Duration maxDuration) {
        Duration shortestTtl = commandTimeout.multipliedBy(3).dividedBy(2);
        if (lockTtl.compareTo(shortestTtl) >= 0) {
            return;
        }
        String why = "renewal extends the lock every third of its TTL and an extension may take the command timeout";
        if (lockTtlExplicit) {
            throw invalid("lockTtl", lockTtl, shortestTtl, maxDuration, "at least 1.5 x the command timeout: " + why);
        }
        if (!commandTimeout.equals(LockSettings.DEFAULT_COMMAND_TIMEOUT)) {
            throw invalid(
                    "commandTimeout",
                    commandTimeout,
                    LockSettings.MIN_DURATION,
                    Duration.ofMillis(lockTtl.toMillis() * 2 / 3),
                    "at most 2/3 of the lock TTL: " + why);
        }
        throw invalid(
                "maxRequestTime",
                maxRequestTime,
                shortestTtl,
                maxDuration,
                "the lock TTL defaults to it and must be at least 1.5 x the command timeout: " + why);
    }

    static InvalidLockSettingsException invalid(
            String setting, @Nullable Duration value, Duration min, Duration max, String because) {
        String range = "[" + format(min) + ", " + format(max) + "]" + (because.isEmpty() ? "" : ", " + because);
        return new InvalidLockSettingsException(setting, value == null ? "null" : format(value), range);
    }

    /** A duration in the largest unit that holds it exactly, as Spring Boot's simple style writes it. */
    static String format(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        if (nanos == 0) {
            return "0ms";
        }
        for (int i = 0; i < UNITS.length; i++) {
            if (nanos % UNITS[i] == 0) {
                return nanos / UNITS[i] + SUFFIXES[i];
            }
        }
        return nanos + "ns";
    }
}
