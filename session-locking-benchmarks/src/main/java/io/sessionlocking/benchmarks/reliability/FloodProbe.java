package io.sessionlocking.benchmarks.reliability;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Floods and aborts against a real Tomcat with 200 worker threads ({@link ProbeShop}) and a fixture redis-server, the
 * probes of the seeds' worker-pool failures; prints {@code RESULT name=value} lines on standard output, progress on
 * standard error. {@code --quick} runs short windows (about 40 s in all), for {@code benchmarks/quick}.
 *
 * <ol>
 *   <li><b>flood</b>: 4 sessions x 100 parallel clients, each sending {@code POST /cart} with 20 ms of work again and
 *       again, while another user sends sequential {@code GET /cart}s on a session of its own: the most Tomcat workers
 *       busy at once (never all), and the other user's median latency alone and under the flood (their ratio). The
 *       clients honour the {@code Retry-After} of a refusal ({@code flood_*}); in the full run a second, hostile flood
 *       retries {@value #HOSTILE_PAUSE_MILLIS} ms after a refusal instead ({@code flood_hostile_*}), which measures how
 *       fast the node turns refusals away rather than how the lock protects its workers.
 *   <li><b>solo</b>: 1 session x 300 parallel clients resending at once: the most requests parked at once, the
 *       responses by status, and the failure log lines written.
 *   <li><b>abort</b>: 50 clients send {@code POST /cart} to a session whose lock a 3 s request holds and close their
 *       connection after 200 ms: how long until their workers are free, and whether any of them took the lock and
 *       saved (a "ghost" write).
 * </ol>
 */
public final class FloodProbe {

    static final long HOSTILE_PAUSE_MILLIS = 100;
    private static final int WORKERS = 200;

    /** Window lengths of the probes; whether the hostile flood runs too. */
    record Options(Duration alone, Duration flood, Duration solo, boolean hostile) {

        static Options quick() {
            return new Options(Duration.ofSeconds(4), Duration.ofSeconds(6), Duration.ofSeconds(5), false);
        }

        static Options full() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), true);
        }
    }

    private final Options options;
    private final PrintStream progress;
    private final Map<String, String> results = new java.util.LinkedHashMap<>();

    FloodProbe(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = String.join(" ", args).contains("--quick");
        LogLines logLines = LogLines.install();
        FloodProbe probe = new FloodProbe(quick ? Options.quick() : Options.full(), System.err);
        Map<String, String> results = probe.run(logLines);
        results.forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
    }

    Map<String, String> run(LogLines logLines) throws Exception {
        try (RedisNode redis = RedisNode.start()) {
            progress.println("Flood probe: redis-server " + redis + ", Tomcat with " + WORKERS + " worker threads");
            try (ProbeShop shop = ProbeShop.start(redis, WORKERS, Map.of())) {
                flood(shop, "flood_", -1);
                if (options.hostile()) {
                    flood(shop, "flood_hostile_", HOSTILE_PAUSE_MILLIS);
                }
                solo(shop, logLines);
            }
            // Every one of the 50 waits here (the default cap of 16 per session would refuse 34 at once).
            try (ProbeShop shop =
                    ProbeShop.start(redis, WORKERS, Map.of("session-locking.max-waiters-per-session", "64"))) {
                abort(shop);
            }
        }
        return results;
    }

    /**
     * @param refusalPause the clients' pause after a refusal, ms; -1 for the refusal's {@code Retry-After}
     */
    private void flood(ProbeShop shop, String prefix, long refusalPause) throws InterruptedException {
        String otherUser = shop.newSession();
        List<String> flooded = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            flooded.add(shop.newSession());
        }
        progress.println("  flood: the other user alone for " + options.alone().toSeconds() + " s");
        double alone = medianMillis(sequential(shop, otherUser, options.alone()));

        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (String cookie : flooded) {
            for (int c = 0; c < 100; c++) {
                clients.add(client(shop, cookie, "/cart?sku=flood&workMillis=20", flooding, statuses, refusalPause));
            }
        }
        double underFlood;
        int busy;
        int waiting;
        try (ProbeShop.Peak busyWorkers = new ProbeShop.Peak(shop::busyWorkers);
                ProbeShop.Peak waiters =
                        new ProbeShop.Peak(() -> shop.provider().waitingCount())) {
            clients.forEach(Thread::start);
            Thread.sleep(1000); // let the flood build up
            progress.println("  flood: 4 sessions x 100 clients, the other user for "
                    + options.flood().toSeconds() + " s");
            underFlood = medianMillis(sequential(shop, otherUser, options.flood()));
            flooding.set(false);
            for (Thread client : clients) {
                client.join(60_000);
            }
            busy = busyWorkers.peak();
            waiting = waiters.peak();
        }
        results.put(prefix + "workers", Integer.toString(WORKERS));
        results.put(prefix + "max_busy_workers", Integer.toString(busy));
        results.put(prefix + "max_waiting", Integer.toString(waiting));
        results.put(prefix + "other_user_p50_ms_alone", format(alone));
        results.put(prefix + "other_user_p50_ms_flood", format(underFlood));
        results.put(prefix + "other_user_p50_ratio", format(underFlood / alone));
        new TreeMap<>(statuses)
                .forEach((status, count) -> results.put(prefix + "responses_" + status, Long.toString(count.sum())));
    }

    private void solo(ProbeShop shop, LogLines logLines) throws InterruptedException {
        String cookie = shop.newSession();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 300; c++) {
            clients.add(client(shop, cookie, "/cart?sku=solo&workMillis=20", flooding, statuses, 0));
        }
        long linesBefore = logLines.count();
        int waiting;
        int busy;
        progress.println("  solo: 1 session x 300 clients for " + options.solo().toSeconds() + " s");
        try (ProbeShop.Peak waiters = new ProbeShop.Peak(() -> shop.provider().waitingCount());
                ProbeShop.Peak busyWorkers = new ProbeShop.Peak(shop::busyWorkers)) {
            clients.forEach(Thread::start);
            Thread.sleep(options.solo().toMillis());
            flooding.set(false);
            for (Thread client : clients) {
                client.join(60_000);
            }
            waiting = waiters.peak();
            busy = busyWorkers.peak();
        }
        results.put("solo_max_parked", Integer.toString(waiting));
        results.put("solo_max_busy_workers", Integer.toString(busy));
        new TreeMap<>(statuses)
                .forEach((status, count) -> results.put("solo_responses_" + status, Long.toString(count.sum())));
        results.put("solo_log_lines", Long.toString(logLines.count() - linesBefore));
        results.put("solo_saved", Integer.toString(shop.items(cookie)));
    }

    private void abort(ProbeShop shop) throws Exception {
        String cookie = shop.newSession();
        int before = shop.items(cookie);
        Thread holder = new Thread(() -> shop.send("POST", "/cart?sku=holder&workMillis=3000", cookie));
        holder.start();
        awaitTrue(() -> shop.holding() == 1, Duration.ofSeconds(10));
        Duration retryDelay = shop.provider().settings().retryDelay();
        progress.println("  abort: 50 clients close their connection 200 ms after sending, while the lock is held");
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket socket = new Socket("127.0.0.1", shop.port());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /cart?sku=ghost HTTP/1.1\r\nHost: localhost\r\nCookie: " + cookie
                            + "\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(socket);
        }
        awaitTrue(() -> shop.provider().waitingCount() == 50, Duration.ofSeconds(10));
        Thread.sleep(200);
        for (Socket socket : sockets) {
            socket.close();
        }
        long closedAt = System.nanoTime();
        awaitTrue(() -> shop.provider().waitingCount() == 0, Duration.ofSeconds(30));
        double freeMillis = (System.nanoTime() - closedAt) / 1e6;
        boolean holderStillRunning = holder.isAlive();
        holder.join(30_000);
        results.put("abort_clients", "50");
        results.put("abort_workers_free_ms", format(freeMillis));
        results.put("abort_retry_delay_ms", Long.toString(retryDelay.toMillis()));
        results.put("abort_freed_while_lock_held", Boolean.toString(holderStillRunning));
        results.put("abort_abandoned", Long.toString(shop.failures().getOrDefault("abandoned", 0L)));
        results.put("abort_ghost_writes", Integer.toString(shop.items(cookie) - before - 1));
    }

    /** Sequential {@code GET /cart}s on one session for {@code length}; their latencies in nanoseconds. */
    private static List<Long> sequential(ProbeShop shop, String cookie, Duration length) {
        List<Long> latencies = new ArrayList<>();
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() - end < 0) {
            long start = System.nanoTime();
            HttpResponse<String> response = shop.send("GET", "/cart", cookie);
            latencies.add(System.nanoTime() - start);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The other user got " + response.statusCode() + ": " + response.body());
            }
        }
        return latencies;
    }

    /**
     * A client that sends {@code path} on {@code cookie}'s session again and again while {@code running}, pausing
     * {@code refusalPause} ms after a refusal ({@code -1}: as its {@code Retry-After} says).
     */
    private static Thread client(
            ProbeShop shop,
            String cookie,
            String path,
            AtomicBoolean running,
            Map<Integer, LongAdder> statuses,
            long refusalPause) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                int status;
                long pause = 0;
                try {
                    HttpResponse<String> response = shop.send("POST", path, cookie);
                    status = response.statusCode();
                    if (status != 200) {
                        pause = refusalPause >= 0
                                ? refusalPause
                                : 1000
                                        * Long.parseLong(response.headers()
                                                .firstValue("Retry-After")
                                                .orElse("1"));
                    }
                } catch (IllegalStateException e) {
                    status = 0; // the connection failed
                }
                statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                if (pause > 0) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        thread.setDaemon(true);
        return thread;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration atMost)
            throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("Not reached within " + atMost);
            }
            Thread.sleep(1);
        }
    }

    private static double medianMillis(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1e6;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Counts the lock failure lines written to standard error (slf4j-simple's output) while it passes them on. */
    static final class LogLines extends java.io.FilterOutputStream {

        private final LongAdder lines = new LongAdder();
        private final StringBuilder line = new StringBuilder();

        private LogLines(OutputStream out) {
            super(out);
        }

        static LogLines install() {
            LogLines counting = new LogLines(System.err);
            System.setErr(new PrintStream(counting, true, StandardCharsets.UTF_8));
            return counting;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            super.write(b);
            if (b == '\n') {
                if (line.indexOf("Could not lock session") >= 0) {
                    lines.increment();
                }
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append((char) b);
            }
        }

        long count() {
            return lines.sum();
        }
    }
}
