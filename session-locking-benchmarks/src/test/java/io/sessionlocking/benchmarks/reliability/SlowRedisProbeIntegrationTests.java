package io.sessionlocking.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The slow Redis probe in a short run: what does not depend on the machine's speed holds. Every lock is kept and none
 * is reported lost; the gap between confirmed extensions is printed, never asserted.
 */
class SlowRedisProbeIntegrationTests {

    @Test
    void everyLockIsKeptOnARedisTwentyMillisecondsAway() throws Exception {
        Map<String, String> results =
                new SlowRedisProbe(Duration.ofSeconds(3), new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(results)
                .containsEntry("slow_redis_locks", "100")
                .containsEntry("slow_redis_locks_kept", "100")
                .containsEntry("slow_redis_lost", "0")
                .containsKeys("slow_redis_max_gap_ms", "slow_redis_extensions_skipped");
        assertThat(Long.parseLong(results.get("slow_redis_extensions_sent"))).isPositive();
    }
}
