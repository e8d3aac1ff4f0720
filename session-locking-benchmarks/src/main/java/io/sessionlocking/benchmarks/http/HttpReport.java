package io.sessionlocking.benchmarks.http;

import java.util.Locale;
import java.util.Map;

/** The HTTP benchmark's figures as Markdown and as {@code RESULT name=value} lines. */
public final class HttpReport {

    private HttpReport() {}

    public static String markdown(Map<String, HttpBenchmark.Result> results) {
        HttpBenchmark.Result plain = results.get("plain");
        StringBuilder out = new StringBuilder();
        out.append(
                "| shop | Redis round trips per GET /cart | commands sent per request | calls inside scripts per request"
                        + " | throughput, median req/s | vs plain | windows req/s |\n");
        out.append("|---|--:|---|--:|--:|--:|---|\n");
        for (HttpBenchmark.Result result : results.values()) {
            int requests = (int) Math.round(
                    result.roundTripsPerRequest() == 0
                            ? 1
                            : result.sentPerCommand().values().stream()
                                            .mapToLong(Long::longValue)
                                            .sum()
                                    / result.roundTripsPerRequest());
            StringBuilder sent = new StringBuilder();
            result.sentPerCommand()
                    .forEach((command, n) -> sent.append(sent.length() == 0 ? "" : ", ")
                            .append(command.toUpperCase(Locale.ROOT))
                            .append(' ')
                            .append(format(n / (double) requests, 1)));
            StringBuilder windows = new StringBuilder();
            result.throughputs()
                    .forEach(t ->
                            windows.append(windows.length() == 0 ? "" : ", ").append(format(t, 0)));
            out.append("| ")
                    .append(result.variant().label())
                    .append(" | ")
                    .append(format(result.roundTripsPerRequest(), 2))
                    .append(" | ")
                    .append(sent)
                    .append(" | ")
                    .append(format(result.insideScripts() / (double) requests, 1))
                    .append(" | ")
                    .append(format(result.medianThroughput(), 0))
                    .append(" | ")
                    .append(format(result.throughputVs(plain), 2))
                    .append("x | ")
                    .append(windows)
                    .append(" |\n");
        }
        return out.toString();
    }

    public static String resultLines(Map<String, HttpBenchmark.Result> results) {
        HttpBenchmark.Result plain = results.get("plain");
        return "RESULT redis_roundtrips_per_request_plain="
                + format(results.get("plain").roundTripsPerRequest(), 2)
                + "\nRESULT redis_roundtrips_per_request_decorator="
                + format(results.get("decorator").roundTripsPerRequest(), 2)
                + "\nRESULT redis_roundtrips_per_request_fused="
                + format(results.get("fused").roundTripsPerRequest(), 2)
                + "\nRESULT http_fused_vs_plain_throughput="
                + format(results.get("fused").throughputVs(plain), 2)
                + "\nRESULT http_decorator_vs_plain_throughput="
                + format(results.get("decorator").throughputVs(plain), 2) + "\n";
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
