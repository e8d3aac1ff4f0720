package io.sessionlocking.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One round of every stampede row: the guard regenerates once, the naive reader does not, nothing fails. */
class CacheStampedeBenchmarkIntegrationTests {

    @Test
    @Timeout(120)
    void oneRoundOfEveryRow() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        CacheStampedeBenchmark.Report report =
                CacheStampedeBenchmark.run(1, new PrintStream(log, true, StandardCharsets.UTF_8));
        System.out.println(CacheStampedeBenchmark.toMarkdown(report));

        assertThat(report.stampedeRegenerations()).isEqualTo(1);
        assertThat(report.staleP99Millis()).isPositive().isFinite();
        assertThat(report.rows())
                .hasSize(5)
                .allSatisfy(row -> assertThat(row.errors()).isZero());
        assertThat(report.rows().get(0).maxRegenerations())
                .as("without a guard")
                .isGreaterThan(1);
        assertThat(report.rows().subList(1, 5))
                .allSatisfy(row -> assertThat(row.maxRegenerations()).isEqualTo(1));
    }
}
