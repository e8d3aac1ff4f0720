package io.sessionlocking.benchmarks.handoff;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-node hand-off of one hot lock: K contenders, each a node of its own (its own clients and connections), with a
 * 5 ms critical section and forced hand-offs, for K = 2, 8 and 32, under three ways of waking the next holder, side by
 * side in one run on one redis-server: the engine polling every 10 ms (Spryker's spin), the engine with notified
 * hand-offs (the default), and Redisson's {@code RLock} (pub/sub wake-up), one client per contender. Reports hand-off
 * latency p50/p99, throughput against the ideal (one critical section after the other), fairness (min/max
 * acquisitions per contender), client commands per acquisition (what the engine's clients sent) and server calls per
 * acquisition ({@code INFO commandstats}, which counts the calls scripts make too).
 */
public final class HandOffBenchmark {

    /** The three ways of waking the next holder. */
    enum Variant {
        POLL10("poll 10 ms (Spryker's spin)"),
        NOTIFY("notify (queue + hand-off + pub/sub)"),
        REDISSON("Redisson RLock, one client per contender");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    public record Options(List<Integer> contenders, Duration criticalSection, Duration warmup, Duration window) {

        public static Options quick() {
            return new Options(
                    List.of(2, 8, 32), Duration.ofMillis(5), Duration.ofMillis(500), Duration.ofMillis(2500));
        }

        public static Options full() {
            return new Options(List.of(2, 8, 32), Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofSeconds(8));
        }
    }

    /** One row: a variant at one contender count. */
    public record Row(Variant variant, HandOffRun.Measured measured, long serverCalls, double idealPerSecond) {

        double clientCommandsPerAcquisition() {
            return measured.commandsSent() < 0
                    ? Double.NaN
                    : measured.commandsSent() / (double) measured.acquisitions();
        }

        double serverCallsPerAcquisition() {
            return serverCalls / (double) measured.acquisitions();
        }

        double throughputVsIdeal() {
            return measured.acquisitions() / measured.seconds() / idealPerSecond;
        }
    }

    /** Everything one run measured. */
    public record Results(RedisFloor.Figures floor, List<Row> rows) {

        double rttP50Millis() {
            return floor.rttHotMillis();
        }

        Row row(Variant variant, int contenders) {
            return rows.stream()
                    .filter(r -> r.variant() == variant && r.measured().contenders() == contenders)
                    .findFirst()
                    .orElseThrow();
        }
    }

    private final Options options;
    private final PrintStream progress;

    public HandOffBenchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public Results run() throws Exception {
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(4)
                .computationThreadPoolSize(2)
                .build();
        try (RedisNode redis = RedisNode.start()) {
            progress.println("hand-off benchmark: redis-server " + redis);
            RedisFloor.Figures floor = RedisFloor.measure(resources, redis.uri(), options.criticalSection());
            List<Row> rows = new ArrayList<>();
            int runs = 0;
            for (int k : options.contenders()) {
                for (Variant variant : Variant.values()) {
                    String name = "handoff-" + (runs++);
                    rows.add(measure(variant, k, name, resources, redis));
                }
            }
            return new Results(floor, rows);
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private Row measure(Variant variant, int k, String name, ClientResources resources, RedisNode redis)
            throws Exception {
        List<Contender> contenders = new ArrayList<>();
        try {
            for (int i = 0; i < k; i++) {
                contenders.add(contender(variant, name, resources, redis.uri()));
            }
            HandOffRun run =
                    new HandOffRun(contenders, options.criticalSection().toNanos());
            HandOffRun.Measured measured =
                    run.run(options.warmup().toNanos(), options.window().toNanos(), () -> serverCalls(redis));
            Row row = new Row(
                    variant,
                    measured,
                    measured.serverCalls(),
                    1e9 / options.criticalSection().toNanos());
            progress.printf(
                    Locale.ROOT,
                    "  K=%-2d %-44s %6d acquisitions, hand-off p50 %.3f ms, %.1f server calls each%n",
                    k,
                    variant.label,
                    measured.acquisitions(),
                    measured.percentileMillis(0.5),
                    row.serverCallsPerAcquisition());
            if (measured.overlaps() != 0) {
                throw new IllegalStateException(variant + " let two contenders in at once");
            }
            return row;
        } finally {
            contenders.forEach(Contender::close);
        }
    }

    private Contender contender(Variant variant, String name, ClientResources resources, String uri) {
        return switch (variant) {
            case POLL10 ->
                new EngineContender(
                        resources,
                        uri,
                        settings()
                                .wakeUp(LockSettings.WakeUp.POLL)
                                .retryDelay(Duration.ofMillis(10))
                                .build(),
                        name);
            case NOTIFY -> new EngineContender(resources, uri, settings().build(), name);
            case REDISSON -> new RedissonContender(uri, name);
        };
    }

    /** Up to 32 contenders wait for one session's lock, above the default cap of 16 waiters per session. */
    private static LockSettings.Builder settings() {
        return LockSettings.builder()
                .timeout(Duration.ofSeconds(20))
                .lockTtl(Duration.ofSeconds(10))
                .maxWaitersPerSession(64);
    }

    private static final Pattern STAT = Pattern.compile("cmdstat_([^:]+):calls=(\\d+)");

    /** Every command Redis ran, inner script calls included, but monitoring and connection set-up. */
    private static long serverCalls(RedisNode redis) {
        Matcher matcher = STAT.matcher(String.valueOf(redis.command("INFO", "commandstats")));
        long calls = 0;
        while (matcher.find()) {
            String command = matcher.group(1);
            if (!List.of("info", "ping", "hello", "client", "select", "config", "command")
                    .contains(command)) {
                calls += Long.parseLong(matcher.group(2));
            }
        }
        return calls;
    }

    /** The figures as Markdown. */
    public static String markdown(Results results) {
        StringBuilder out = new StringBuilder();
        RedisFloor.Figures floor = results.floor();
        out.append(String.format(
                Locale.ROOT,
                "Redis round trip (PING) p50: %.3f ms in a tight loop, %.3f ms after a pause as long as the critical"
                        + " section; PUBLISH delivered to another client's subscriber after that pause: p50 %.3f ms%n%n",
                floor.rttHotMillis(),
                floor.rttAfterPauseMillis(),
                floor.pubSubDeliveryMillis()));
        out.append("| contenders (one per node) | wake-up | hand-off p50 ms | hand-off p99 ms | throughput vs ideal"
                + " | fairness min/max | client commands per acquisition | server calls per acquisition |\n");
        out.append("|--:|---|--:|--:|--:|--:|--:|--:|\n");
        for (Row row : results.rows()) {
            HandOffRun.Measured m = row.measured();
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.3f | %.3f | %.0f%% | %.2f (%d-%d) | %s | %.1f |%n",
                    m.contenders(),
                    row.variant().label,
                    m.percentileMillis(0.5),
                    m.percentileMillis(0.99),
                    100 * row.throughputVsIdeal(),
                    m.fairness(),
                    Arrays.stream(m.perContender()).min().orElse(0),
                    Arrays.stream(m.perContender()).max().orElse(0),
                    Double.isNaN(row.clientCommandsPerAcquisition())
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.2f", row.clientCommandsPerAcquisition()),
                    row.serverCallsPerAcquisition()));
        }
        return out.toString();
    }

    /** The RESULT lines, at 8 contenders (the worst of K = 2, 8, 32 for the engine's bounds is in the table). */
    public static String resultLines(Results results) {
        Map<String, String> lines = new LinkedHashMap<>();
        Row notify = results.row(Variant.NOTIFY, 8);
        lines.put("rtt_p50_ms", format(results.rttP50Millis(), 3));
        lines.put("rtt_after_pause_p50_ms", format(results.floor().rttAfterPauseMillis(), 3));
        lines.put("pubsub_delivery_p50_ms", format(results.floor().pubSubDeliveryMillis(), 3));
        lines.put("handoff_p50_ms_notify", format(notify.measured().percentileMillis(0.5), 3));
        lines.put(
                "handoff_p50_ms_poll10",
                format(results.row(Variant.POLL10, 8).measured().percentileMillis(0.5), 3));
        lines.put(
                "handoff_p50_ms_redisson",
                format(results.row(Variant.REDISSON, 8).measured().percentileMillis(0.5), 3));
        lines.put("client_cmds_per_contended_acquire_notify", format(notify.clientCommandsPerAcquisition(), 2));
        lines.put("server_calls_per_contended_acquire_notify", format(notify.serverCallsPerAcquisition(), 2));
        lines.put(
                "server_calls_per_contended_acquire_redisson",
                format(results.row(Variant.REDISSON, 8).serverCallsPerAcquisition(), 2));
        lines.put("fairness_min_over_max_notify", format(notify.measured().fairness(), 2));
        StringBuilder out = new StringBuilder();
        lines.forEach((name, value) ->
                out.append("RESULT ").append(name).append('=').append(value).append('\n'));
        return out.toString();
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = String.join(" ", args).contains("--quick");
        Results results = new HandOffBenchmark(quick ? Options.quick() : Options.full(), System.err).run();
        System.out.println("## Cross-node hand-off: one lock, one contender per node, 5 ms critical section\n");
        System.out.println(markdown(results));
        System.out.print(resultLines(results));
    }
}
