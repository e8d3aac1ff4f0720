package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * Many independent sessions: threads each on session ids of their own; total lock + unlock throughput against the raw
 * pair at the same thread count on one shared connection.
 */
final class ManySessionsScenario {

    private final Harness harness;

    ManySessionsScenario(Harness harness) {
        this.harness = harness;
    }

    void run(BenchmarkReport report) {
        List<String> names = BenchmarkReport.MANY_SESSIONS_ROWS;
        int threads = harness.options().manySessionsThreads();
        LockCycles cycles = harness.cycles();
        String[][] rawKeys = sessionIds(threads, "spring:session:lock:{many-raw-", "}");
        report.add(measure(
                names.get(0), threads, (thread, i) -> cycles.rawPair(rawKeys[thread][i % rawKeys[thread].length])));
        report.add(measure(names.get(1), threads, engineOp(harness.lettuceStore(), threads, "many-lettuce-")));
        report.add(measure(names.get(2), threads, engineOp(harness.redissonStore(), threads, "many-redisson-")));
    }

    private static ThreadOp engineOp(LockStore store, int threads, String prefix) {
        Consumer<String> cycle = LockCycles.engine(store, "release of an own session's lock failed");
        String[][] ids = sessionIds(threads, prefix, "");
        return (thread, i) -> cycle.accept(ids[thread][i % ids[thread].length]);
    }

    private static String[][] sessionIds(int threads, String prefix, String suffix) {
        String[][] ids = new String[threads][16];
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < ids[t].length; i++) {
                ids[t][i] = prefix + t + "-" + i + suffix;
            }
        }
        return ids;
    }

    private BenchmarkReport.ManySessions measure(String name, int threads, ThreadOp op) {
        BenchmarkOptions options = harness.options();
        harness.progress().println("many sessions: " + name + ", " + threads + " threads");
        MeasurementWindow window =
                MeasurementWindow.afterWarmup(options.manySessionsWarmup(), options.manySessionsWindow());
        Samples[] samples = new Samples[threads];
        RuntimeException[] errors = new RuntimeException[threads];
        WorkerThreads workers = new WorkerThreads();
        for (int t = 0; t < threads; t++) {
            int me = t;
            samples[t] = new Samples();
            workers.add("many-" + t, () -> {
                try {
                    for (int i = 0; ; i++) {
                        long t0 = System.nanoTime();
                        if (window.isOverAt(t0)) {
                            return;
                        }
                        op.run(me, i);
                        long t1 = System.nanoTime();
                        if (window.containsSpan(t0, t1)) {
                            samples[me].add(t1 - t0);
                        }
                    }
                } catch (RuntimeException e) {
                    errors[me] = e;
                }
            });
        }
        workers.startAll();
        MeasurementWindow.Observed observed = window.observe(harness.redis());
        workers.joinAll();
        for (RuntimeException error : errors) {
            if (error != null) {
                throw new IllegalStateException(name + " failed", error);
            }
        }
        Samples.Sorted sorted = Samples.merge(List.of(samples));
        double seconds = options.manySessionsWindow().toNanos() / 1e9;
        return new BenchmarkReport.ManySessions(
                name,
                threads,
                sorted.count() / seconds,
                sorted.percentile(50) / 1e3,
                sorted.percentile(99) / 1e3,
                sorted.count() == 0 ? 0 : (double) observed.requests() / sorted.count());
    }

    /** One operation of thread {@code thread}, its {@code i}-th. */
    @FunctionalInterface
    private interface ThreadOp {
        void run(int thread, int i);
    }
}
