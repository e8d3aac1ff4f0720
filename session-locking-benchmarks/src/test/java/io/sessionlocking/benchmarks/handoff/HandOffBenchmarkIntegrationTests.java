package io.sessionlocking.benchmarks.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-off benchmark in a tiny run at two contenders: every variant hands the lock over and never lets two in at
 * once, and the counts that do not depend on the machine's speed hold: with notified hand-offs a contended acquisition
 * costs the client two commands (queue, release), and the contenders take strict turns. Latency is never asserted.
 */
class HandOffBenchmarkIntegrationTests {

    @Test
    void notifiedHandOffsCostTwoCommandsAndTakeTurns() throws Exception {
        HandOffBenchmark.Options tiny = new HandOffBenchmark.Options(
                List.of(2), Duration.ofMillis(2), Duration.ofMillis(300), Duration.ofMillis(800));
        HandOffBenchmark.Results results =
                new HandOffBenchmark(tiny, new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(results.rows()).hasSize(3).allSatisfy(row -> {
            assertThat(row.measured().overlaps()).isZero();
            assertThat(row.measured().acquisitions()).isPositive();
        });
        HandOffBenchmark.Row notify = results.row(HandOffBenchmark.Variant.NOTIFY, 2);
        assertThat(notify.clientCommandsPerAcquisition()).isBetween(1.9, 2.5);
        assertThat(notify.measured().fairness()).isGreaterThanOrEqualTo(0.9);
        assertThat(HandOffBenchmark.markdown(results)).contains("notify", "Redisson");
    }
}
