package io.sessionlocking.benchmarks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTTP benchmark in a tiny run: every shop answers, and the round trips are exact, which throughput figures cannot
 * be on a shared machine: the fused repository sends two scripts per request, fewer than plain Spring Session.
 */
class HttpBenchmarkIntegrationTests {

    @Test
    void theFusedRepositoryNeedsTwoRoundTripsPerRequest() {
        HttpBenchmark.Options tiny =
                new HttpBenchmark.Options(20, 40, 4, Duration.ofMillis(300), Duration.ofMillis(300), 1);
        Map<String, HttpBenchmark.Result> results =
                new HttpBenchmark(tiny, new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(results.get("fused").roundTripsPerRequest()).isEqualTo(2.0);
        assertThat(results.get("fused").sentPerCommand()).containsOnlyKeys("evalsha");
        assertThat(results.get("plain").roundTripsPerRequest()).isGreaterThan(2.0);
        assertThat(results.get("decorator").roundTripsPerRequest())
                .isGreaterThan(results.get("plain").roundTripsPerRequest());
        assertThat(results.values())
                .allSatisfy(result -> assertThat(result.medianThroughput()).isPositive());
        assertThat(HttpReport.resultLines(results))
                .contains("RESULT redis_roundtrips_per_request_fused=2.00", "RESULT http_fused_vs_plain_throughput=");
    }
}
