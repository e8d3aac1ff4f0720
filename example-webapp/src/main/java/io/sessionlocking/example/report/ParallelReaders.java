package io.sessionlocking.example.report;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends N requests for the report at once to this node itself, over N connections: a browser opens only about six
 * connections per host, so the page asks the server to do it. Each request is bounded; the summary says how many
 * answered 200 and how long they took.
 */
final class ParallelReaders {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The outcome of one burst. */
    record Summary(int readers, int ok, int failed, long p50Ms, long p99Ms, long maxMs) {}

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    Summary read(URI report, int readers) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(report)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            long started = System.nanoTime();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> response.statusCode() == 200 ? System.nanoTime() - started : -1L)
                    .exceptionally(e -> -1L));
        }
        List<Long> times = new ArrayList<>();
        int failed = 0;
        for (CompletableFuture<Long> call : calls) {
            long nanos;
            try {
                nanos = call.get(REQUEST_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                nanos = -1;
            }
            if (nanos < 0) {
                failed++;
            } else {
                times.add(nanos);
            }
        }
        times.sort(null);
        return new Summary(readers, times.size(), failed, millis(times, 0.50), millis(times, 0.99), millis(times, 1.0));
    }

    private static long millis(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
    }
}
