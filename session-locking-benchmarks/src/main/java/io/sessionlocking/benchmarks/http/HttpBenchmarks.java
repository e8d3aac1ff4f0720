package io.sessionlocking.benchmarks.http;

import java.util.Locale;
import java.util.Map;

/**
 * The HTTP benchmark's {@code main}: the table on standard output, then its {@code RESULT name=value} lines; progress
 * on standard error. {@code --quick} runs the short version that {@code benchmarks/quick} uses.
 */
public final class HttpBenchmarks {

    private HttpBenchmarks() {}

    public static void main(String[] args) {
        boolean quick = String.join(" ", args).contains("--quick");
        long started = System.nanoTime();
        HttpBenchmark.Options options = quick ? HttpBenchmark.Options.quick() : HttpBenchmark.Options.full();
        Map<String, HttpBenchmark.Result> results = new HttpBenchmark(options, System.err).run();
        System.out.println("## HTTP: plain Spring Session, the decorator and the fused repository\n");
        System.out.println(HttpReport.markdown(results));
        System.out.printf(
                Locale.ROOT, "(%s run: %.0f s)%n%n", quick ? "quick" : "full", (System.nanoTime() - started) / 1e9);
        System.out.print(HttpReport.resultLines(results));
    }
}
