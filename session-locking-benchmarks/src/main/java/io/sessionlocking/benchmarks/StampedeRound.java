package io.sessionlocking.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One burst: N reader threads released together by a gate, each making one read through {@code reader} on node
 * {@code index % 2}; the loader they share counts its runs and records when and on which node the last one ended, so
 * that each reader's wait after the value landed (its "wake lag") can be told apart from the regeneration itself,
 * for the loader's node and for the other one. A load takes the load time plus a random 0 to 100 ms, so that the
 * regeneration never ends in step with a poll interval.
 */
final class StampedeRound {

    /** A read, given the loader to regenerate with. */
    interface Reader {
        String read(int index, Loader loader) throws Exception;
    }

    /** The expensive computation: sleeps for the load time, counts itself. */
    static final class Loader {
        private final long loadMillis;
        private final AtomicInteger runs = new AtomicInteger();
        private final AtomicLong lastEnd = new AtomicLong();
        private volatile int lastNode = -1;

        Loader(long loadMillis) {
            this.loadMillis = loadMillis + ThreadLocalRandom.current().nextLong(101);
        }

        String load(int node) throws InterruptedException {
            runs.incrementAndGet();
            Thread.sleep(loadMillis);
            lastNode = node;
            lastEnd.set(System.nanoTime());
            return "report computed at " + System.currentTimeMillis();
        }
    }

    /**
     * What a round measured: loader runs, each reader's latency, and the finish times after the last load ended of
     * the readers on the loader's node and on the other node.
     */
    record Outcome(int regenerations, Samples latencies, Samples loaderNodeLags, Samples otherNodeLags, int errors) {}

    private StampedeRound() {}

    static Outcome run(int readers, long loadMillis, Reader reader) throws InterruptedException {
        Loader loader = new Loader(loadMillis);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(readers);
        long[] finished = new long[readers];
        long[] took = new long[readers];
        AtomicInteger errors = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    gate.await();
                    long started = System.nanoTime();
                    reader.read(index, loader);
                    finished[index] = System.nanoTime();
                    took[index] = finished[index] - started;
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        gate.countDown();
        if (!done.await(2, TimeUnit.MINUTES)) {
            threads.forEach(Thread::interrupt);
            throw new IllegalStateException("readers still running after 2 minutes");
        }
        Samples latencies = new Samples();
        Samples loaderNode = new Samples();
        Samples otherNode = new Samples();
        long landed = loader.lastEnd.get();
        for (int i = 0; i < readers; i++) {
            latencies.add(took[i]);
            if (landed != 0 && finished[i] != 0) {
                (i % 2 == loader.lastNode ? loaderNode : otherNode).add(Math.max(0, finished[i] - landed));
            }
        }
        return new Outcome(loader.runs.get(), latencies, loaderNode, otherNode, errors.get());
    }
}
