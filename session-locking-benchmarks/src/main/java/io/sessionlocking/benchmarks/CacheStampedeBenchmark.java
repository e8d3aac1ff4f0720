package io.sessionlocking.benchmarks;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.cache.RegenerationGuard;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.ValueCodec;
import io.sessionlocking.cache.redis.LettuceEntryStores;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The cache stampede of issue 11, measured: 200 readers, half on each of two nodes (two Redis clients, two sets of
 * guards), hit one key whose regeneration takes 500 ms. Rows: without any guard (get, miss, compute, set); the
 * guard with its fill notification (the default); the guard with polling alone at 100 ms and at 10 ms; and the key
 * with a stale copy (stale-while-revalidate). Each row runs several rounds on a flushed (or freshly staled) key.
 *
 * <p>Prints a Markdown table on standard output, then {@code RESULT stampede_regenerations=<n>} (the most
 * regenerations of one round of the default guard) and {@code RESULT stampede_stale_p99_ms=<ms>} (the readers' p99
 * latency with a stale copy). {@code --quick} runs fewer rounds.
 */
public final class CacheStampedeBenchmark {

    static final int READERS = 200;
    static final long LOAD_MILLIS = 500;
    static final byte[] KEY = "reports::daily".getBytes(StandardCharsets.UTF_8);

    /** One row of the table. */
    record Row(
            String name,
            int maxRegenerations,
            double meanRegenerations,
            Samples.Sorted latency,
            Samples.Sorted loaderNodeLag,
            Samples.Sorted otherNodeLag,
            long redisRequestsPerRound,
            int errors) {}

    /** How soon one waiter on the other node learns that the value landed, and what that costs Redis. */
    record WakeUp(String name, Samples.Sorted lag, double redisRequestsPerWait) {}

    /** The report: rows, wake-up rows and the two headline figures. */
    record Report(List<Row> rows, List<WakeUp> wakeUps, int stampedeRegenerations, double staleP99Millis) {}

    private CacheStampedeBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Report report = run(quick ? 2 : 5, System.err);
        PrintStream out = System.out;
        out.println(toMarkdown(report));
        out.println("RESULT stampede_regenerations=" + report.stampedeRegenerations());
        out.printf(Locale.ROOT, "RESULT stampede_stale_p99_ms=%.1f%n", report.staleP99Millis());
    }

    public static Report run(int rounds, PrintStream progress) throws Exception {
        try (RedisNode redis = RedisNode.start()) {
            progress.println("redis-server started: " + redis);
            List<Row> rows = new ArrayList<>();
            rows.add(naive(redis, rounds, progress));
            Row notified = guarded(
                    redis,
                    rounds,
                    "guard, fill notification + 100 ms poll (default)",
                    s -> s,
                    Duration.ofMillis(100),
                    false,
                    progress);
            rows.add(notified);
            rows.add(guarded(
                    redis,
                    rounds,
                    "guard, polling alone every 100 ms",
                    UnwatchedEntryStore::new,
                    Duration.ofMillis(100),
                    false,
                    progress));
            rows.add(guarded(
                    redis,
                    rounds,
                    "guard, polling alone every 10 ms",
                    UnwatchedEntryStore::new,
                    Duration.ofMillis(10),
                    false,
                    progress));
            Row stale = guarded(
                    redis,
                    rounds,
                    "guard, stale copy present (stale-while-revalidate)",
                    s -> s,
                    Duration.ofMillis(100),
                    true,
                    progress);
            rows.add(stale);
            int wakeRounds = rounds * 6;
            List<WakeUp> wakeUps = List.of(
                    wakeUp(redis, wakeRounds, "fill notification + 100 ms poll (default)", s -> s, 100),
                    wakeUp(redis, wakeRounds, "polling alone every 100 ms", UnwatchedEntryStore::new, 100),
                    wakeUp(redis, wakeRounds, "polling alone every 10 ms", UnwatchedEntryStore::new, 10));
            return new Report(
                    rows, wakeUps, notified.maxRegenerations(), stale.latency().percentile(99) / 1e6);
        }
    }

    /**
     * One reader per node, so that no storm of woken threads hides the notification: node 0 loads for 100 to 150
     * ms, node 1 starts waiting once that load runs; the lag is node 1's answer minus the end of the load.
     */
    private static WakeUp wakeUp(
            RedisNode redis, int rounds, String name, Function<EntryStore, EntryStore> wrap, long pollMillis)
            throws Exception {
        RegenerationSettings settings = RegenerationSettings.builder()
                .pollInterval(Duration.ofMillis(pollMillis))
                .build();
        Samples lags = new Samples();
        long requests = 0;
        try (LettuceEntryStores.Managed first = LettuceEntryStores.connect(RedisURI.create(redis.uri()));
                LettuceEntryStores.Managed second = LettuceEntryStores.connect(RedisURI.create(redis.uri()));
                RegenerationGuards firstNode =
                        RegenerationGuards.builder(wrap.apply(first.store())).build();
                RegenerationGuards secondNode =
                        RegenerationGuards.builder(wrap.apply(second.store())).build()) {
            RegenerationGuard<String> loading = firstNode.guard("reports", settings, ValueCodec.utf8());
            RegenerationGuard<String> waiting = secondNode.guard("reports", settings, ValueCodec.utf8());
            for (int round = 0; round < rounds; round++) {
                redis.flushAll();
                long before = requests(redis);
                java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
                long[] loadEnd = new long[1];
                long loadMillis =
                        100 + java.util.concurrent.ThreadLocalRandom.current().nextLong(51);
                Thread loader = new Thread(() -> loading.get(KEY, Duration.ofMinutes(10), () -> {
                    running.countDown();
                    Thread.sleep(loadMillis);
                    loadEnd[0] = System.nanoTime();
                    return "report";
                }));
                loader.start();
                running.await();
                waiting.get(KEY, Duration.ofMinutes(10), () -> "never");
                long answered = System.nanoTime();
                loader.join();
                lags.add(Math.max(0, answered - loadEnd[0]));
                // The waiter's reads, the fill and the loader's first read.
                requests += requests(redis) - before;
            }
        }
        return new WakeUp(name, Samples.merge(List.of(lags)), (double) requests / rounds);
    }

    /** No guard: every reader that misses computes and sets, as the Magento and eviction seeds describe. */
    private static Row naive(RedisNode redis, int rounds, PrintStream progress) throws Exception {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(RedisURI.create(redis.uri()));
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> commands = connection.sync();
            return measure(
                    redis, rounds, "no guard (get, compute on a miss, set)", false, progress, () -> {}, (i, loader) -> {
                        byte[] value = commands.get(KEY);
                        if (value != null) {
                            return new String(value, StandardCharsets.UTF_8);
                        }
                        String computed = loader.load(i % 2);
                        commands.setex(KEY, 600, computed.getBytes(StandardCharsets.UTF_8));
                        return computed;
                    });
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static Row guarded(
            RedisNode redis,
            int rounds,
            String name,
            Function<EntryStore, EntryStore> wrap,
            Duration pollInterval,
            boolean staleCopy,
            PrintStream progress)
            throws Exception {
        RegenerationSettings settings = RegenerationSettings.builder()
                .pollInterval(pollInterval)
                .staleWhileRevalidate(Duration.ofMinutes(1))
                .build();
        try (LettuceEntryStores.Managed first = LettuceEntryStores.connect(RedisURI.create(redis.uri()));
                LettuceEntryStores.Managed second = LettuceEntryStores.connect(RedisURI.create(redis.uri()));
                RegenerationGuards firstNode =
                        RegenerationGuards.builder(wrap.apply(first.store())).build();
                RegenerationGuards secondNode =
                        RegenerationGuards.builder(wrap.apply(second.store())).build()) {
            List<RegenerationGuard<String>> guards = List.of(
                    firstNode.guard("reports", settings, ValueCodec.utf8()),
                    secondNode.guard("reports", settings, ValueCodec.utf8()));
            Runnable prepare = () -> {
                if (staleCopy) {
                    guards.get(0).put(KEY, "yesterday's report", Duration.ofMinutes(10));
                    guards.get(0).markStale(KEY);
                }
            };
            Row row = measure(
                    redis,
                    rounds,
                    name,
                    staleCopy,
                    progress,
                    prepare,
                    (i, loader) -> guards.get(i % 2).get(KEY, Duration.ofMinutes(10), () -> loader.load(i % 2)));
            if (staleCopy) {
                // Let the background regeneration of the last round finish before the nodes close.
                Thread.sleep(LOAD_MILLIS + 200);
            }
            return row;
        }
    }

    private static Row measure(
            RedisNode redis,
            int rounds,
            String name,
            boolean staleCopy,
            PrintStream progress,
            Runnable prepare,
            StampedeRound.Reader reader)
            throws Exception {
        List<Samples> latencies = new ArrayList<>();
        List<Samples> loaderNodeLags = new ArrayList<>();
        List<Samples> otherNodeLags = new ArrayList<>();
        int maxRegenerations = 0;
        int totalRegenerations = 0;
        int errors = 0;
        long requests = 0;
        for (int round = 0; round < rounds; round++) {
            redis.flushAll();
            prepare.run();
            long before = requests(redis);
            StampedeRound.Outcome outcome = StampedeRound.run(READERS, LOAD_MILLIS, reader);
            if (staleCopy) {
                // The one background regeneration is part of the round.
                Thread.sleep(LOAD_MILLIS + 100);
            }
            requests += requests(redis) - before;
            latencies.add(outcome.latencies());
            if (!staleCopy) {
                loaderNodeLags.add(outcome.loaderNodeLags());
                otherNodeLags.add(outcome.otherNodeLags());
            }
            maxRegenerations = Math.max(maxRegenerations, outcome.regenerations());
            totalRegenerations += outcome.regenerations();
            errors += outcome.errors();
            progress.printf(Locale.ROOT, "%s, round %d: %d regenerations%n", name, round + 1, outcome.regenerations());
        }
        return new Row(
                name,
                maxRegenerations,
                (double) totalRegenerations / rounds,
                Samples.merge(latencies),
                Samples.merge(loaderNodeLags),
                Samples.merge(otherNodeLags),
                requests / rounds,
                errors);
    }

    /**
     * Requests (round trips) Redis served so far of the commands these rows send: the guard's scripts, the naive
     * reader's {@code GET} and {@code SETEX}, {@code DEL}. Commands run inside scripts are not counted.
     */
    private static long requests(RedisNode redis) {
        String info = redis.command("INFO", "commandstats");
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(
                        "cmdstat_(evalsha|eval|get|setex|del):calls=(\\d+)")
                .matcher(info == null ? "" : info);
        long total = 0;
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(2));
        }
        return total;
    }

    /** p50 / p99 of the lags; for the other node first the earliest (how soon the news arrived at all). */
    private static String lags(Samples.Sorted lags, boolean withFirst) {
        if (lags.count() == 0) {
            return "-";
        }
        String lag = String.format(Locale.ROOT, "%.1f / %.1f", lags.percentile(50) / 1e6, lags.percentile(99) / 1e6);
        return withFirst ? String.format(Locale.ROOT, "%.1f / ", lags.percentile(0) / 1e6) + lag : lag;
    }

    static String toMarkdown(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("#### Cache stampede: ")
                .append(READERS)
                .append(" readers on 2 nodes, one key, ")
                .append(LOAD_MILLIS)
                .append(" ms regeneration\n\n");
        out.append("| mode | regenerations per round (max) | mean | reader p50 ms | p99 ms | max ms | ")
                .append("after the value landed, loader's node p50 / p99 ms | other node first / p50 / p99 ms | ")
                .append("Redis requests per round | errors |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Row row : report.rows()) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %d | %d |%n",
                    row.name(),
                    row.maxRegenerations(),
                    row.meanRegenerations(),
                    row.latency().percentile(50) / 1e6,
                    row.latency().percentile(99) / 1e6,
                    row.latency().max() / 1e6,
                    lags(row.loaderNodeLag(), false),
                    lags(row.otherNodeLag(), true),
                    row.redisRequestsPerRound(),
                    row.errors()));
        }
        out.append("\n#### Wake-up of one waiter on the other node (no thread storm): its answer after the value ")
                .append("landed\n\n");
        out.append("| waiters learn by | p50 ms | p99 ms | max ms | Redis requests per regeneration |\n");
        out.append("|---|--:|--:|--:|--:|\n");
        for (WakeUp wakeUp : report.wakeUps()) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.1f |%n",
                    wakeUp.name(),
                    wakeUp.lag().percentile(50) / 1e6,
                    wakeUp.lag().percentile(99) / 1e6,
                    wakeUp.lag().max() / 1e6,
                    wakeUp.redisRequestsPerWait()));
        }
        return out.toString();
    }
}
