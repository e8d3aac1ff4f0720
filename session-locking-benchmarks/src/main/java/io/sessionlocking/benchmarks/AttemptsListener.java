package io.sessionlocking.benchmarks;

import io.sessionlocking.core.SessionLockListener;

/**
 * Hands each acquisition's attempt count to the acquiring thread: the engine calls the listener synchronously on that
 * thread before {@code acquire} returns.
 */
final class AttemptsListener implements SessionLockListener {

    private final ThreadLocal<int[]> last = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    public void onAcquired(Acquired event) {
        last.get()[0] = event.attempts();
    }

    int lastAttempts() {
        return last.get()[0];
    }
}
