package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockClock;

/**
 * The system clock, whose pauses end the acquisition (as an interrupt would) once the window is over, so that waiters
 * still spinning then stop without a thread interrupt, which would also hit a holder's release.
 */
final class CancellableClock implements LockClock {

    volatile boolean cancelled;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (cancelled) {
            throw new InterruptedException("benchmark window over");
        }
        LockClock.SYSTEM.sleep(nanos);
        if (cancelled) {
            throw new InterruptedException("benchmark window over");
        }
    }
}
