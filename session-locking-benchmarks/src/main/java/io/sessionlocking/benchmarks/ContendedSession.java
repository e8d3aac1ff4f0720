package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SpinLockProvider;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One session under contention and what its threads share: the lock provider on a {@link CancellableClock}, the
 * measurement window, and the referee's counters (how many hold the lock at once, who held it last, since when each
 * thread waits).
 */
final class ContendedSession {

    final CancellableClock clock = new CancellableClock();
    final AttemptsListener listener = new AttemptsListener();
    final SpinLockProvider provider;
    final String sessionId;
    final long workNanos;

    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger lastOwner = new AtomicInteger(-1);
    final LongAdder violations = new LongAdder();

    /** Per thread, when its current acquisition began; 0 while it is not acquiring. */
    final AtomicLongArray waitingSince;

    final MeasurementWindow window;

    ContendedSession(LockStore store, LockSettings settings, String sessionId, int threads, BenchmarkOptions options) {
        this.provider = new SpinLockProvider(store, settings, listener, clock);
        this.sessionId = sessionId;
        this.workNanos = options.criticalSection().toNanos();
        this.waitingSince = new AtomicLongArray(threads);
        this.window = MeasurementWindow.afterWarmup(options.contentionWarmup(), options.contentionWindow());
    }

    /** The longest acquisition still unfinished at {@code now}, in nanoseconds; 0 when no thread waits. */
    long longestUnfinishedAt(long now) {
        long longest = 0;
        for (int t = 0; t < waitingSince.length(); t++) {
            long since = waitingSince.get(t);
            if (since != 0) {
                longest = Math.max(longest, now - since);
            }
        }
        return longest;
    }

    /** Ends the acquisitions still waiting, at their next pause, and lets no thread start another. */
    void cancel() {
        clock.cancelled = true;
    }
}
