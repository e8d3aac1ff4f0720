package io.sessionlocking.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The engine's source of time and way to pause, injected so that tests can move time without sleeping.
 * Implementations are thread-safe.
 */
public interface LockClock {

    /**
     * The JVM's monotonic clock; pauses park the thread, so that {@link java.util.concurrent.locks.LockSupport#unpark}
     * ends them early (a released lock wakes the next local waiter).
     */
    LockClock SYSTEM = new LockClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            if (nanos > 0) {
                LockSupport.parkNanos(this, nanos);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };

    /** Monotonic time in nanoseconds, comparable only to other values of the same clock. */
    long nanoTime();

    /**
     * Pauses the calling thread for at most about {@code nanos}; it may return earlier (woken, or spuriously), and
     * callers re-check their state. Returns at once for {@code nanos <= 0}.
     */
    void sleep(long nanos) throws InterruptedException;
}
