package io.sessionlocking.benchmarks;

import io.sessionlocking.benchmarks.http.HttpBenchmark;
import io.sessionlocking.benchmarks.http.HttpReport;
import java.util.Locale;
import java.util.Map;

/**
 * {@code benchmarks/quick}: each benchmark in a short run, its tables on standard output and, at the end, one {@code
 * RESULT name=value} line per figure. Progress goes to standard error.
 */
public final class QuickBenchmarks {

    private QuickBenchmarks() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        StringBuilder results = new StringBuilder();

        Map<String, HttpBenchmark.Result> http = new HttpBenchmark(HttpBenchmark.Options.quick(), System.err).run();
        System.out.println("## HTTP: plain Spring Session, the decorator and the fused repository\n");
        System.out.println(HttpReport.markdown(http));
        results.append(HttpReport.resultLines(http));

        System.out.printf(Locale.ROOT, "(quick run: %.0f s)%n%n", (System.nanoTime() - started) / 1e9);
        System.out.print(results);
    }
}
