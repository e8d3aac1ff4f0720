package io.sessionlocking.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the harness in quick mode: every row is there and every ratio is a finite positive number. */
class LockBenchmarksIntegrationTests {

    @Test
    @Timeout(60)
    void quickRunReportsEveryRowAndFiniteRatios() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long start = System.nanoTime();

        BenchmarkReport report =
                LockBenchmarks.run(BenchmarkOptions.quick(), new PrintStream(log, true, StandardCharsets.UTF_8));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String markdown = report.toMarkdown();
        System.out.println(markdown);
        System.out.println("quick run took " + took.toMillis() + " ms");

        assertThat(report.uncontended())
                .extracting(BenchmarkReport.Uncontended::name)
                .containsExactlyElementsOf(BenchmarkReport.UNCONTENDED_ROWS);
        assertThat(report.manySessions())
                .extracting(BenchmarkReport.ManySessions::name)
                .containsExactlyElementsOf(BenchmarkReport.MANY_SESSIONS_ROWS);
        assertThat(report.contention()).hasSize(BenchmarkReport.CONTENTION_STRATEGIES.size() * 2);
        for (int threads : BenchmarkOptions.quick().contentionThreads()) {
            for (String strategy : BenchmarkReport.CONTENTION_STRATEGIES) {
                assertThat(report.contention()).anySatisfy(row -> {
                    assertThat(row.strategy()).isEqualTo(strategy);
                    assertThat(row.threads()).isEqualTo(threads);
                    assertThat(row.sectionsPerSecond()).isPositive();
                });
            }
        }
        for (BenchmarkReport.Contention row : report.contention()) {
            assertThat(row.exclusionViolations())
                    .as("mutual exclusion under %s x%d", row.strategy(), row.threads())
                    .isZero();
        }

        Map<String, Double> ratios = report.ratios();
        // 4 uncontended variants x 3 ratios against (a), 6 contention configurations x 3, 2 many-sessions variants.
        assertThat(ratios).hasSize(12 + 18 + 2);
        assertThat(ratios)
                .allSatisfy((name, value) -> assertThat(Double.isFinite(value) && value > 0)
                        .as("ratio %s = %s", name, value)
                        .isTrue());

        for (String row : BenchmarkReport.UNCONTENDED_ROWS) {
            assertThat(markdown).contains("| " + row + " |");
        }
        for (String row : BenchmarkReport.MANY_SESSIONS_ROWS) {
            assertThat(markdown).contains("| " + row + " |");
        }
        for (String strategy : BenchmarkReport.CONTENTION_STRATEGIES) {
            assertThat(markdown).contains("| " + strategy + " | 8 |", "| " + strategy + " | 32 |");
        }
        assertThat(markdown).doesNotContain("NaN", "Infinity");
    }
}
