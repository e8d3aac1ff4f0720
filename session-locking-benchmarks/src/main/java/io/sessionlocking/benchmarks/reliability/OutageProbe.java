package io.sessionlocking.benchmarks.reliability;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Redis killed under load and restarted, against a real Tomcat ({@link ProbeShop}, the Spring Boot shop with Spring
 * Session on Redis and the fused repository, {@code spring.data.redis.timeout=2s} as in the demo): {@value #CLIENTS}
 * clients each add to their own cart ({@code POST /cart}, 20 ms of work) and read it back ({@code GET /cart}) again and
 * again, pausing 100 ms after a failure, while the {@code sessionLocks} health indicator is asked every 200 ms. Redis is
 * killed for 10 s, then (full run) for 35 s, longer than Lettuce's default reconnect backoff of up to 30 s. Prints
 * {@code RESULT name=value} lines on standard output, progress on standard error; {@code --quick} runs the 10 s outage
 * only (about 25 s), for {@code benchmarks/quick}.
 *
 * <p>Per outage ({@code outage_<n>s_}): {@code http_500} (must be 0: no error page), {@code http_503_backend_unavailable}
 * (the documented answer), {@code other_failures} (any other status or a failed connection), {@code slowest_ms} (the
 * slowest answer to a request sent while Redis was down), {@code health_slowest_ms} and {@code health_down} (whether
 * it said DOWN), and {@code recovery_ms}: from the restarted Redis answering to the first request sent after it that
 * succeeds (polled every 20 ms; the restarted Redis is empty, so it is a new cart).
 */
public final class OutageProbe {

    private static final int CLIENTS = 4;
    private static final int WORKERS = 50;
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(3);

    private final List<Duration> outages;
    private final PrintStream progress;
    private final Map<String, String> results = new LinkedHashMap<>();

    OutageProbe(List<Duration> outages, PrintStream progress) {
        this.outages = outages;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = String.join(" ", args).contains("--quick");
        List<Duration> outages =
                quick ? List.of(Duration.ofSeconds(10)) : List.of(Duration.ofSeconds(10), Duration.ofSeconds(35));
        new OutageProbe(outages, System.err)
                .run()
                .forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
        System.exit(0); // the shop's non-daemon threads
    }

    Map<String, String> run() throws Exception {
        try (RedisNode redis = RedisNode.start();
                ProbeShop shop = ProbeShop.start(redis, WORKERS, Map.of())) {
            progress.println("Outage probe: redis-server " + redis + ", " + CLIENTS + " clients, Tomcat with " + WORKERS
                    + " workers");
            HealthIndicator health = shop.context().getBean("sessionLocksHealthIndicator", HealthIndicator.class);
            for (Duration outage : outages) {
                outage(redis, shop, health, outage, "outage_" + outage.toSeconds() + "s_");
            }
        }
        return results;
    }

    private void outage(RedisNode redis, ProbeShop shop, HealthIndicator health, Duration length, String prefix)
            throws Exception {
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Answer> healthAnswers = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            threads.add(daemon("outage-client-" + i, () -> client(shop, running, answers)));
        }
        threads.add(daemon("outage-health", () -> healthProbe(health, running, healthAnswers)));
        threads.forEach(Thread::start);

        Thread.sleep(BEFORE.toMillis());
        progress.println("  killing Redis for " + length.toSeconds() + " s");
        redis.kill();
        long down = System.nanoTime();
        Thread.sleep(length.toMillis());
        redis.restart();
        long up = System.nanoTime();
        long recovered = firstSuccess(shop);
        progress.println("  Redis is back; the first request succeeded after " + millis(recovered - up) + " ms");
        Thread.sleep(AFTER.toMillis());
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        long http500 = answers.stream().filter(a -> a.status == 500).count();
        long backend = answers.stream().filter(a -> a.backendUnavailable).count();
        long other = answers.stream()
                .filter(a -> a.status != 200 && a.status != 500 && !a.backendUnavailable)
                .count();
        long slowest = answers.stream()
                .filter(a -> a.sentNanos - down >= 0 && a.sentNanos - up < 0)
                .mapToLong(Answer::tookNanos)
                .max()
                .orElse(0);
        long healthSlowest = healthAnswers.stream()
                .filter(a -> a.sentNanos - down >= 0 && a.sentNanos - up < 0)
                .mapToLong(Answer::tookNanos)
                .max()
                .orElse(0);
        boolean healthDown = healthAnswers.stream()
                .anyMatch(a -> a.sentNanos - down >= 0 && a.sentNanos - up < 0 && a.status == 503);
        results.put(prefix + "requests", Integer.toString(answers.size()));
        results.put(prefix + "http_500", Long.toString(http500));
        results.put(prefix + "http_503_backend_unavailable", Long.toString(backend));
        results.put(prefix + "other_failures", Long.toString(other));
        results.put(prefix + "slowest_ms", millis(slowest));
        results.put(prefix + "health_slowest_ms", millis(healthSlowest));
        results.put(prefix + "health_down", Boolean.toString(healthDown));
        results.put(prefix + "recovery_ms", millis(recovered - up));
    }

    /** Adds to its own cart and reads it, again and again; a new cart (cookie) whenever the shop hands one out. */
    private static void client(ProbeShop shop, AtomicBoolean running, ConcurrentLinkedQueue<Answer> answers) {
        AtomicReference<String> cookie = new AtomicReference<>();
        boolean add = true;
        while (running.get()) {
            long sent = System.nanoTime();
            Answer answer;
            try {
                HttpResponse<String> response =
                        shop.send(add ? "POST" : "GET", add ? "/cart?sku=outage&workMillis=20" : "/cart", cookie.get());
                response.headers()
                        .firstValue("Set-Cookie")
                        .ifPresent(set -> cookie.set(set.substring(0, set.indexOf(';'))));
                answer = new Answer(
                        sent,
                        System.nanoTime() - sent,
                        response.statusCode(),
                        response.statusCode() == 503 && response.body().contains("\"reason\":\"backend_unavailable\""));
            } catch (IllegalStateException connectionFailed) {
                answer = new Answer(sent, System.nanoTime() - sent, 0, false);
            }
            answers.add(answer);
            add = !add;
            if (answer.status != 200) {
                pause(100);
            }
        }
    }

    private static void healthProbe(HealthIndicator health, AtomicBoolean running, ConcurrentLinkedQueue<Answer> out) {
        while (running.get()) {
            long sent = System.nanoTime();
            Health answer = health.health();
            boolean down = answer == null || !Status.UP.equals(answer.getStatus());
            out.add(new Answer(sent, System.nanoTime() - sent, down ? 503 : 200, false));
            pause(200);
        }
    }

    /** When the first request sent after Redis came back succeeded (a new cart each time, polled every 20 ms). */
    private static long firstSuccess(ProbeShop shop) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (shop.send("POST", "/cart?sku=recovery", null).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IllegalStateException connectionFailed) {
                // counted as not yet recovered
            }
            pause(20);
        }
        throw new IllegalStateException("No request succeeded within 60 s of the restart");
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }

    /** One answer: when it was sent, how long it took, its status (0: no connection). */
    private record Answer(long sentNanos, long tookNanos, int status, boolean backendUnavailable) {}
}
