package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: the fixture never waits without a deadline. */
final class Waits {

    static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Waits() {}

    /**
     * Polls {@code condition} until it holds or {@code timeout} elapses.
     *
     * @return {@code true} if the condition held before the deadline
     * @throws IllegalStateException if the calling thread is interrupted (the interrupt flag is restored)
     */
    static boolean until(Duration timeout, BooleanSupplier condition) {
        return until(timeout, POLL_INTERVAL, condition);
    }

    /** Like {@link #until(Duration, BooleanSupplier)}, polling every {@code interval}, e.g. for costly conditions. */
    static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(interval);
        }
    }

    /** Sleeps for {@code duration}, turning an interrupt into an unchecked failure of the fixture call. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Redis", e);
        }
    }
}
