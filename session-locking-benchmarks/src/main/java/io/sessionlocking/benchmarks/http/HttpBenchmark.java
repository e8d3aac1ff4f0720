package io.sessionlocking.benchmarks.http;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a locked request costs end to end: the same Spring Boot shop ({@link ShopApplication}) three times on one
 * redis-server, with plain Spring Session ({@code handler: non-locking}), with the decorator's lock key ({@code
 * repository: decorator}) and with the fused repository (the default). For each: Redis round trips per {@code GET
 * /cart} (the commands clients sent, as {@code INFO commandstats} counts them less the calls scripts ran inside Redis,
 * which {@code MONITOR} tells apart), and HTTP throughput with many sessions and one request at a time per session,
 * the three taking turns window by window so that a noisy moment of a shared machine hits them alike.
 */
public final class HttpBenchmark {

    /** One configuration of the shop. */
    record Variant(String name, String label, Map<String, String> properties) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant(
                    "plain",
                    "plain Spring Session (handler: non-locking)",
                    Map.of("session-locking.handler", "non-locking")),
            new Variant(
                    "decorator", "locking, decorator (lock key)", Map.of("session-locking.repository", "decorator")),
            new Variant("fused", "locking, fused repository", Map.of()));

    /**
     * @param sessions sessions per shop
     * @param countedRequests requests of the round-trip count, per shop
     * @param clients client threads (connections), each on sessions of its own
     * @param warmup load on each shop before measuring, in window-long turns with the others
     * @param window one measured window
     * @param rounds windows per shop, taken in turns, a different shop first each round (a multiple of the three
     *     shops, so that each goes first as often)
     */
    public record Options(
            int sessions, int countedRequests, int clients, Duration warmup, Duration window, int rounds) {

        public static Options full() {
            return new Options(1000, 500, 16, Duration.ofSeconds(6), Duration.ofSeconds(3), 12);
        }

        public static Options quick() {
            return new Options(300, 200, 16, Duration.ofSeconds(6), Duration.ofMillis(1500), 9);
        }
    }

    /** One shop's figures. */
    public record Result(
            Variant variant,
            double roundTripsPerRequest,
            Map<String, Long> sentPerCommand,
            long insideScripts,
            List<Double> throughputs) {

        public double medianThroughput() {
            return median(throughputs);
        }

        /**
         * Throughput against {@code baseline}'s: the median of the ratios of the windows of one round, which ran back
         * to back, so that a slow phase of a shared machine cancels out of each ratio.
         */
        public double throughputVs(Result baseline) {
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < throughputs.size(); round++) {
                ratios.add(throughputs.get(round) / baseline.throughputs().get(round));
            }
            return median(ratios);
        }

        private static double median(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(Double::compare);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    private final Options options;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public HttpBenchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs the three shops on a redis-server of its own; everything is stopped before this returns. */
    public Map<String, Result> run() {
        try (RedisNode redis = RedisNode.start()) {
            progress.println("HTTP benchmark: redis-server " + redis);
            List<Shop> shops = new ArrayList<>();
            try {
                for (Variant variant : VARIANTS) {
                    shops.add(Shop.start(variant, redis, options.sessions(), http));
                }
                Map<String, Result> results = new LinkedHashMap<>();
                Map<String, List<Double>> throughputs = new LinkedHashMap<>();
                // Warmed up in turns, a window each, so that the JIT (still compiling what the shops share: Tomcat,
                // Spring, Lettuce, the client) favours none of them by the order they were warmed in.
                long slices = Math.max(
                        1, options.warmup().toNanos() / options.window().toNanos());
                progress.println("  warming up, " + slices + " windows per shop in turns");
                for (long slice = 0; slice < slices; slice++) {
                    for (Shop shop : shops) {
                        load(shop, options.window());
                    }
                }
                for (Shop shop : shops) {
                    throughputs.put(shop.variant.name(), new ArrayList<>());
                }
                for (int round = 0; round < options.rounds(); round++) {
                    for (int turn = 0; turn < shops.size(); turn++) {
                        Shop shop = shops.get((round + turn) % shops.size()); // a different one goes first each round
                        double perSecond = load(shop, options.window());
                        throughputs.get(shop.variant.name()).add(perSecond);
                        progress.printf(
                                Locale.ROOT,
                                "  round %d %-9s %8.0f req/s%n",
                                round + 1,
                                shop.variant.name(),
                                perSecond);
                    }
                }
                for (Shop shop : shops) {
                    results.put(shop.variant.name(), count(shop, redis, throughputs.get(shop.variant.name())));
                }
                return results;
            } finally {
                shops.forEach(Shop::close);
            }
        }
    }

    /** {@code GET /cart} from {@code clients} threads for {@code length}, each cycling over sessions of its own. */
    private double load(Shop shop, Duration length) {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.clients(); t++) {
            int first = t;
            Thread thread = new Thread(
                    () -> {
                        for (int i = first; System.nanoTime() - end < 0; i += options.clients()) {
                            shop.getCart(i % shop.cookies.size());
                            done.increment();
                        }
                    },
                    "http-client-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join(length.toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }

    /** Round trips of {@code countedRequests} sequential {@code GET /cart}s, exactly: MONITOR tells who sent what. */
    private Result count(Shop shop, RedisNode redis, List<Double> throughputs) {
        // The last window's shop may still be writing after its clients had their answers (a save after the commit,
        // a release): wait until Redis is quiet, so that its commands are not counted for this shop.
        try (RedisMonitor tail = RedisMonitor.open(redis.host(), redis.port())) {
            tail.awaitQuiet(Duration.ofSeconds(10));
        }
        Map<String, Long> before = commandStats(redis);
        Map<String, Long> sent;
        long inside;
        try (RedisMonitor monitor = RedisMonitor.open(redis.host(), redis.port())) {
            for (int i = 0; i < options.countedRequests(); i++) {
                shop.getCart(i % shop.cookies.size());
            }
            monitor.awaitQuiet(Duration.ofSeconds(10));
            sent = monitor.sent();
            inside = RedisMonitor.total(monitor.inScripts());
        }
        Map<String, Long> after = commandStats(redis);
        long calls = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            if (!RedisMonitor.isIgnored(entry.getKey())) {
                calls += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            }
        }
        double roundTrips = (calls - inside) / (double) options.countedRequests();
        Map<String, Long> perCommand = new LinkedHashMap<>();
        sent.forEach((command, n) -> perCommand.put(command, n));
        return new Result(shop.variant, roundTrips, perCommand, inside, throughputs);
    }

    private static final Pattern STAT = Pattern.compile("cmdstat_([^:]+):calls=(\\d+)");

    private static Map<String, Long> commandStats(RedisNode redis) {
        Map<String, Long> calls = new LinkedHashMap<>();
        Matcher matcher = STAT.matcher(String.valueOf(redis.command("INFO", "commandstats")));
        while (matcher.find()) {
            calls.put(matcher.group(1).toLowerCase(Locale.ROOT), Long.parseLong(matcher.group(2)));
        }
        return calls;
    }

    /** One running shop and the cookies of its sessions. */
    private static final class Shop implements AutoCloseable {

        private final Variant variant;
        private final ConfigurableApplicationContext context;
        private final HttpClient http;
        private final String base;
        private final List<String> cookies = new ArrayList<>();

        private Shop(Variant variant, ConfigurableApplicationContext context, HttpClient http) {
            this.variant = variant;
            this.context = context;
            this.http = http;
            this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        }

        static Shop start(Variant variant, RedisNode redis, int sessions, HttpClient http) {
            List<String> properties = new ArrayList<>(List.of(
                    "server.port=0",
                    "spring.data.redis.host=" + redis.host(),
                    "spring.data.redis.port=" + redis.port(),
                    "spring.data.redis.timeout=2s",
                    "spring.main.banner-mode=off",
                    "logging.level.root=WARN",
                    "server.tomcat.threads.max=64"));
            variant.properties().forEach((key, value) -> properties.add(key + "=" + value));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class)
                    .properties(properties.toArray(String[]::new))
                    .run();
            Shop shop = new Shop(variant, context, http);
            for (int i = 0; i < sessions; i++) {
                shop.cookies.add(shop.newSession());
            }
            return shop;
        }

        private String newSession() {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/cart"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
            String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
            return setCookie.substring(0, setCookie.indexOf(';'));
        }

        void getCart(int session) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/cart"))
                    .header("Cookie", cookies.get(session))
                    .GET()
                    .build());
            if (response.statusCode() != 200
                    || response.headers().firstValue("Set-Cookie").isPresent()) {
                throw new IllegalStateException(variant.name() + ": GET /cart answered " + response.statusCode()
                        + " or lost its session: " + response.body());
            }
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(variant.name() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
