package io.sessionlocking.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The flood probe in a short run: what does not depend on the machine's speed holds. No Tomcat worker pool is ever
 * full, one session's flood parks at most its cap and logs a line or two, and the aborted clients all end as abandoned
 * without a ghost write, their workers free while the lock is still held. Latency ratios are never asserted.
 */
class FloodProbeIntegrationTests {

    @Test
    void floodsNeverFillTheWorkerPoolAndAbortedClientsNeverSave() throws Exception {
        PrintStream err = System.err;
        Map<String, String> results;
        try {
            FloodProbe.LogLines lines = FloodProbe.LogLines.install();
            FloodProbe.Options tiny =
                    new FloodProbe.Options(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), false);
            results = new FloodProbe(tiny, new PrintStream(OutputStream.nullOutputStream())).run(lines);
        } finally {
            System.setErr(err);
        }

        assertThat(Integer.parseInt(results.get("flood_max_busy_workers"))).isBetween(1, 199);
        assertThat(Integer.parseInt(results.get("flood_max_waiting"))).isBetween(1, 4 * 16);
        assertThat(Integer.parseInt(results.get("solo_max_parked"))).isBetween(1, 16);
        assertThat(Long.parseLong(results.get("solo_responses_429"))).isPositive();
        assertThat(Long.parseLong(results.get("solo_log_lines"))).isBetween(1L, 2L);
        assertThat(results)
                .containsEntry("abort_abandoned", "50")
                .containsEntry("abort_ghost_writes", "0")
                .containsEntry("abort_freed_while_lock_held", "true");
    }
}
