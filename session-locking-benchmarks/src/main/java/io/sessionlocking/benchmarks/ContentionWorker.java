package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.SessionLock;
import java.util.EnumMap;
import java.util.Map;

/**
 * One thread contending for a session: acquires, works about the critical section, releases, until the session is
 * cancelled; only acquisitions in the window count. Its counters are written by that thread only, read after it ended.
 */
final class ContentionWorker implements Runnable {

    private final ContendedSession session;
    private final int me;

    long sections;
    long attempts;
    long handOffs;
    long workNanos;
    long lostOnRelease;
    final Samples waits = new Samples();
    final Map<LockCouldNotBeAcquiredException.Reason, Long> failures =
            new EnumMap<>(LockCouldNotBeAcquiredException.Reason.class);

    ContentionWorker(ContendedSession session, int me) {
        this.session = session;
        this.me = me;
    }

    @Override
    public void run() {
        while (!session.clock.cancelled) {
            long t0 = System.nanoTime();
            session.waitingSince.set(me, t0);
            SessionLock lock;
            try {
                lock = session.provider.acquire(session.sessionId);
            } catch (LockCouldNotBeAcquiredException e) {
                session.waitingSince.set(me, 0);
                if (e.reason() == LockCouldNotBeAcquiredException.Reason.INTERRUPTED && session.clock.cancelled) {
                    Thread.interrupted(); // the end of the window, not a failure
                    break;
                }
                if (session.window.contains(System.nanoTime())) {
                    failures.merge(e.reason(), 1L, Long::sum);
                }
                continue;
            }
            long acquiredAt = System.nanoTime();
            session.waitingSince.set(me, 0);
            int lastAttempts = session.listener.lastAttempts();
            if (session.inside.incrementAndGet() != 1) {
                session.violations.increment();
            }
            int previousOwner = session.lastOwner.getAndSet(me);
            long w0 = System.nanoTime();
            work(session.workNanos);
            long w1 = System.nanoTime();
            session.inside.decrementAndGet();
            if (!lock.release()) {
                lostOnRelease++;
            }
            if (session.window.contains(acquiredAt)) {
                sections++;
                attempts += lastAttempts;
                workNanos += w1 - w0;
                waits.add(acquiredAt - t0);
                if (previousOwner != me) {
                    handOffs++;
                }
            }
        }
    }

    /** The critical section: about {@code nanos} of (parked) work, as a request's session update. */
    private static void work(long nanos) {
        MeasurementWindow.parkUntil(System.nanoTime() + nanos);
    }
}
