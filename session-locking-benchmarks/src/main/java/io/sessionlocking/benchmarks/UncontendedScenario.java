package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.memory.InMemoryLockStore;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Uncontended cost: one thread, back to back, (a) the physical limit, a raw Lettuce {@code SET key v NX PX} +
 * {@code DEL key} on one connection; (b) the raw {@code SET} + compare-and-delete script; (c) {@link
 * SpinLockProvider} acquire + release on the Lettuce store; (d) the same on the Redisson store; (e) the same on the
 * in-memory store. The variants take turns, round by round, each within its time budget.
 */
final class UncontendedScenario {

    private final Harness harness;

    UncontendedScenario(Harness harness) {
        this.harness = harness;
    }

    void run(BenchmarkReport report) {
        BenchmarkOptions options = harness.options();
        PrintStream progress = harness.progress();
        List<String> names = BenchmarkReport.UNCONTENDED_ROWS;
        String rawKey = "spring:session:lock:{uncontended-raw}";
        LockCycles cycles = harness.cycles();
        List<Variant> variants = List.of(
                new Variant(names.get(0), true, () -> cycles.rawPair(rawKey)),
                new Variant(names.get(1), true, () -> cycles.rawScriptPair(rawKey)),
                new Variant(names.get(2), true, engineOp(harness.lettuceStore(), "uncontended-lettuce")),
                new Variant(names.get(3), true, engineOp(harness.redissonStore(), "uncontended-redisson")),
                new Variant(names.get(4), false, engineOp(new InMemoryLockStore(), "uncontended-memory")));
        for (Variant variant : variants) {
            progress.println("uncontended warm-up: " + variant.name);
            for (int i = 0; i < options.uncontendedWarmup(); i++) {
                variant.op.run();
            }
        }
        int rounds = options.uncontendedRounds();
        int perRound = Math.max(1, options.uncontendedIterations() / rounds);
        long budget = options.uncontendedBudget().toNanos();
        progress.println("uncontended: " + rounds + " rounds of " + perRound + " iterations per variant");
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : variants) {
                measureRound(variant, perRound, budget);
            }
        }
        for (Variant variant : variants) {
            Samples.Sorted sorted = Samples.merge(List.of(variant.samples));
            report.add(new BenchmarkReport.Uncontended(
                    variant.name,
                    sorted.count(),
                    sorted.count() / (variant.elapsedNanos / 1e9),
                    sorted.percentile(50) / 1e3,
                    sorted.percentile(99) / 1e3,
                    sorted.max() / 1e3,
                    variant.onRedis ? (double) variant.requests / sorted.count() : 0));
        }
    }

    /** Up to {@code perRound} more iterations of {@code variant}, as long as its total time stays within budget. */
    private void measureRound(Variant variant, int perRound, long budget) {
        CommandStats before = variant.onRedis ? CommandStats.of(harness.redis()) : null;
        long start = System.nanoTime();
        long end = start;
        for (int i = 0; i < perRound && variant.elapsedNanos + (end - start) < budget; i++) {
            long t0 = System.nanoTime();
            variant.op.run();
            end = System.nanoTime();
            variant.samples.add(end - t0);
        }
        variant.elapsedNanos += end - start;
        if (before != null) {
            variant.requests += CommandStats.of(harness.redis()).requestsSince(before);
        }
    }

    private static Runnable engineOp(LockStore store, String sessionId) {
        Consumer<String> cycle = LockCycles.engine(store, "release of an uncontended lock failed");
        return () -> cycle.accept(sessionId);
    }

    /** One uncontended variant and what its rounds measured so far. */
    private static final class Variant {
        final String name;
        final boolean onRedis;
        final Runnable op;
        final Samples samples = new Samples();
        long elapsedNanos;
        long requests;

        Variant(String name, boolean onRedis, Runnable op) {
            this.name = name;
            this.onRedis = onRedis;
            this.op = op;
        }
    }
}
