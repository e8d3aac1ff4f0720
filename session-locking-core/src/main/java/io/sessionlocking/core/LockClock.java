package io.sessionlocking.core;

import java.util.concurrent.TimeUnit;

/**
 * The engine's source of time and way to pause, injected so that tests can move time without sleeping.
 * Implementations are thread-safe.
 */
public interface LockClock {

    /** The JVM's monotonic clock and {@link Thread#sleep}. */
    LockClock SYSTEM = new LockClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    /** Monotonic time in nanoseconds, comparable only to other values of the same clock. */
    long nanoTime();

    /** Pauses the calling thread for about {@code nanos}; returns at once for {@code nanos <= 0}. */
    void sleep(long nanos) throws InterruptedException;
}
