package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Contention on one session: T threads each acquire, work ~1 ms (parkNanos), release, for a fixed window, under three
 * retry strategies; throughput, hand-offs, waits, failures, attempts and Redis commands per section, fairness between
 * threads.
 */
final class ContentionScenario {

    private final Harness harness;

    /** Up to 32 threads wait for one session's lock, above the default cap of 16 waiters per session. */
    private static final int MAX_WAITERS = 64;

    ContentionScenario(Harness harness) {
        this.harness = harness;
    }

    void run(BenchmarkReport report) {
        List<LockSettings> strategies = List.of(
                LockSettings.builder()
                        .backoff(LockSettings.Backoff.FIXED)
                        .retryDelay(Duration.ofMillis(10))
                        .maxWaitersPerSession(MAX_WAITERS)
                        .build(),
                LockSettings.builder()
                        .backoff(LockSettings.Backoff.FIXED)
                        .retryDelay(Duration.ofMillis(1))
                        .maxWaitersPerSession(MAX_WAITERS)
                        .build(),
                LockSettings.builder()
                        .backoff(LockSettings.Backoff.EXPONENTIAL)
                        .retryDelay(Duration.ofMillis(1))
                        .maxRetryDelay(Duration.ofMillis(50))
                        .maxWaitersPerSession(MAX_WAITERS)
                        .build());
        for (int threads : harness.options().contentionThreads()) {
            for (int s = 0; s < strategies.size(); s++) {
                String strategy = BenchmarkReport.CONTENTION_STRATEGIES.get(s);
                harness.progress().println("contention: " + strategy + ", " + threads + " threads");
                report.add(contend(strategy, strategies.get(s), threads, "hot-" + threads + "-" + s));
            }
        }
    }

    private BenchmarkReport.Contention contend(String strategy, LockSettings settings, int threads, String sessionId) {
        ContendedSession session =
                new ContendedSession(harness.lettuceStore(), settings, sessionId, threads, harness.options());
        ContentionWorker[] workers = new ContentionWorker[threads];
        WorkerThreads running = new WorkerThreads();
        for (int t = 0; t < threads; t++) {
            workers[t] = new ContentionWorker(session, t);
            running.add("contention-" + t, workers[t]);
        }
        running.startAll();
        MeasurementWindow.Observed observed = session.window.observe(harness.redis());
        long longestUnfinished = session.longestUnfinishedAt(System.nanoTime());
        session.cancel();
        running.joinAll();
        return summarize(strategy, threads, session, workers, observed, longestUnfinished);
    }

    private BenchmarkReport.Contention summarize(
            String strategy,
            int threads,
            ContendedSession session,
            ContentionWorker[] workers,
            MeasurementWindow.Observed observed,
            long longestUnfinished) {
        long sections = 0;
        long attempts = 0;
        long handOffs = 0;
        long work = 0;
        long lost = 0;
        long minPerThread = Long.MAX_VALUE;
        long maxPerThread = 0;
        Map<LockCouldNotBeAcquiredException.Reason, Long> failures =
                new EnumMap<>(LockCouldNotBeAcquiredException.Reason.class);
        List<Samples> waits = new ArrayList<>();
        for (ContentionWorker worker : workers) {
            sections += worker.sections;
            attempts += worker.attempts;
            handOffs += worker.handOffs;
            work += worker.workNanos;
            lost += worker.lostOnRelease;
            minPerThread = Math.min(minPerThread, worker.sections);
            maxPerThread = Math.max(maxPerThread, worker.sections);
            worker.failures.forEach((reason, count) -> failures.merge(reason, count, Long::sum));
            waits.add(worker.waits);
        }
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        PrintStream progress = harness.progress();
        if (!failures.isEmpty() || lost > 0) {
            progress.println("  failures by reason: " + failures + ", locks lost on release: " + lost);
        }
        progress.println(
                "  Redis lock commands in the window: " + observed.after().deltaSince(observed.before()));
        double seconds = harness.options().contentionWindow().toNanos() / 1e9;
        double meanWork = sections == 0 ? session.workNanos : (double) work / sections;
        Samples.Sorted sorted = Samples.merge(waits);
        long commands = observed.requests();
        return new BenchmarkReport.Contention(
                strategy,
                threads,
                sections / seconds,
                1e9 / meanWork,
                handOffs / seconds,
                sorted.percentile(50) / 1e6,
                sorted.percentile(99) / 1e6,
                sorted.max() / 1e6,
                longestUnfinished / 1e6,
                failed + lost,
                sections == 0 ? 0 : (double) attempts / sections,
                sections == 0 ? 0 : (double) commands / sections,
                commands / seconds,
                minPerThread,
                maxPerThread,
                session.violations.sum());
    }
}
