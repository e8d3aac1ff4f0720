package io.sessionlocking.benchmarks.handoff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured run: K contenders, each on a node of its own, loop on one lock: take it, work the critical section,
 * note the time and give it back, then wait until another contender has taken it (a forced hand-off: the releaser may
 * not take it straight back). The hand-off latency is the time from the start of a release to the next holder's
 * entry, on one {@link System#nanoTime()} clock.
 */
final class HandOffRun {

    /** What a run measured. */
    record Measured(
            int contenders,
            long acquisitions,
            double seconds,
            long[] handOffNanos,
            int[] perContender,
            long commandsSent,
            long serverCalls,
            int overlaps) {

        double percentileMillis(double quantile) {
            if (handOffNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = handOffNanos.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(quantile * sorted.length);
            return sorted[Math.max(rank - 1, 0)] / 1e6;
        }

        double fairness() {
            int min = Arrays.stream(perContender).min().orElse(0);
            int max = Arrays.stream(perContender).max().orElse(1);
            return max == 0 ? 0 : min / (double) max;
        }
    }

    private final List<Contender> contenders;
    private final long criticalNanos;
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private volatile int lastHolder = -1;
    private volatile long releasedAt;
    private volatile boolean measuring;
    private volatile boolean stopping;

    HandOffRun(List<Contender> contenders, long criticalNanos) {
        this.contenders = contenders;
        this.criticalNanos = criticalNanos;
    }

    /**
     * @param serverCalls reads the calls the server has run so far; read when the window opens and when it closes
     */
    Measured run(long warmupNanos, long windowNanos, java.util.function.LongSupplier serverCalls)
            throws InterruptedException {
        int k = contenders.size();
        int[] counts = new int[k];
        List<List<Long>> handOffs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            handOffs.add(new ArrayList<>());
        }
        AtomicLong acquisitions = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int me = i;
            Thread thread = new Thread(() -> loop(me, counts, handOffs.get(me), acquisitions), "contender-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        LockSupport.parkNanos(warmupNanos);
        long[] sentBefore =
                contenders.stream().mapToLong(Contender::commandsSent).toArray();
        long callsBefore = serverCalls.getAsLong();
        long start = System.nanoTime();
        measuring = true;
        LockSupport.parkNanos(windowNanos);
        measuring = false;
        long seconds = System.nanoTime() - start;
        long[] sentAfter =
                contenders.stream().mapToLong(Contender::commandsSent).toArray();
        long calls = serverCalls.getAsLong() - callsBefore;
        stopping = true;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        long sent = 0;
        for (int i = 0; i < k; i++) {
            sent = sentBefore[i] < 0 ? -1 : sent + sentAfter[i] - sentBefore[i];
            if (sent < 0) {
                break;
            }
        }
        long[] all = handOffs.stream()
                .flatMap(List::stream)
                .mapToLong(Long::longValue)
                .toArray();
        return new Measured(k, acquisitions.get(), seconds / 1e9, all, counts, sent, calls, overlaps.get());
    }

    private void loop(int me, int[] counts, List<Long> handOffs, AtomicLong acquisitions) {
        try {
            while (!stopping) {
                contenders.get(me).lock();
                long entered = System.nanoTime();
                if (holders.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                boolean counted = measuring;
                if (counted) {
                    counts[me]++;
                    acquisitions.incrementAndGet();
                    if (lastHolder != -1 && lastHolder != me) {
                        handOffs.add(entered - releasedAt);
                    }
                }
                lastHolder = me;
                LockSupport.parkNanos(criticalNanos);
                holders.decrementAndGet();
                releasedAt = System.nanoTime();
                contenders.get(me).unlock();
                // Forced hand-off: wait until someone else has taken it (alone, there is nobody: go on).
                long waitUntil = System.nanoTime() + 2_000_000_000L;
                while (lastHolder == me && contenders.size() > 1 && !stopping && System.nanoTime() - waitUntil < 0) {
                    LockSupport.parkNanos(20_000);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("contender " + me + " failed", e);
        }
    }
}
