package io.sessionlocking.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard the harness runs.
 *
 * @param quickMode whether this is the {@link #quick()} run
 * @param uncontendedWarmup iterations of each uncontended variant that are run but not measured
 * @param uncontendedIterations measured iterations of each uncontended variant
 * @param uncontendedRounds rounds the measured iterations are split into; the variants take turns round by round,
 *     so that a noisy moment on a shared machine hits them all alike
 * @param uncontendedBudget longest time one uncontended variant may measure; fewer iterations are kept if it ends first
 * @param contentionThreads thread counts of the one-session contention runs
 * @param contentionWarmup time each contention run runs before its measured window
 * @param contentionWindow measured window of each contention run
 * @param criticalSection work done while holding the lock in the contention runs
 * @param manySessionsThreads threads of the many-sessions runs, each on session ids of its own
 * @param manySessionsWarmup time each many-sessions run runs before its measured window
 * @param manySessionsWindow measured window of each many-sessions run
 */
public record BenchmarkOptions(
        boolean quickMode,
        int uncontendedWarmup,
        int uncontendedIterations,
        int uncontendedRounds,
        Duration uncontendedBudget,
        List<Integer> contentionThreads,
        Duration contentionWarmup,
        Duration contentionWindow,
        Duration criticalSection,
        int manySessionsThreads,
        Duration manySessionsWarmup,
        Duration manySessionsWindow) {

    public BenchmarkOptions {
        contentionThreads = List.copyOf(contentionThreads);
    }

    /** The full run: about 80 seconds. */
    public static BenchmarkOptions full() {
        return new BenchmarkOptions(
                false,
                5_000,
                20_000,
                40,
                Duration.ofSeconds(15),
                List.of(8, 32),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofMillis(1),
                32,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5));
    }

    /** A few seconds in all, for the smoke test: the same rows, much less statistics. */
    public static BenchmarkOptions quick() {
        return new BenchmarkOptions(
                true,
                300,
                2_000,
                4,
                Duration.ofSeconds(2),
                List.of(8, 32),
                Duration.ofMillis(100),
                Duration.ofMillis(400),
                Duration.ofMillis(1),
                32,
                Duration.ofMillis(100),
                Duration.ofMillis(400));
    }

    /** {@code --quick} selects {@link #quick()}; blank arguments (from an empty Maven property) are ignored. */
    public static BenchmarkOptions fromArgs(String... args) {
        boolean quick = false;
        for (String arg : args) {
            for (String word : arg.trim().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (word.equals("--quick")) {
                    quick = true;
                } else {
                    throw new IllegalArgumentException("Unknown argument " + word + "; the only option is --quick");
                }
            }
        }
        return quick ? quick() : full();
    }
}
