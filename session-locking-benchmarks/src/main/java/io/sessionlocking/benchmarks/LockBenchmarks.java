package io.sessionlocking.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.redisson.RedissonLockStore;
import io.sessionlocking.support.LockScripts;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The load harness. One run starts one fresh redis-server (with {@link RedisNode}) and measures, side by side:
 *
 * <ol>
 *   <li><b>Uncontended cost</b>: one thread, back to back, (a) the physical limit, a raw Lettuce {@code SET key v NX
 *       PX} + {@code DEL key} on one connection; (a2) the same with the engine's compare-and-delete script instead of
 *       {@code DEL}; (b) {@link SpinLockProvider} acquire + release on the Lettuce store; (c) the same on the Redisson
 *       store; (d) the same on the in-memory store.
 *   <li><b>Contention on one session</b>: T threads each acquire, work ~1 ms (parkNanos), release, for a fixed
 *       window, under three retry strategies; throughput, hand-offs, waits, failures, attempts and Redis commands per
 *       section, fairness between threads.
 *   <li><b>Many independent sessions</b>: threads each on session ids of their own; total lock + unlock throughput
 *       against the raw pair at the same thread count on one shared connection.
 * </ol>
 *
 * Prints a Markdown report on standard output and progress on standard error. {@code --quick} runs for a few seconds
 * (same rows, poor statistics), for the smoke test.
 */
public final class LockBenchmarks {

    private LockBenchmarks() {}

    public static void main(String[] args) {
        BenchmarkOptions options = BenchmarkOptions.fromArgs(args);
        BenchmarkReport report = run(options, System.err);
        System.out.println(report.toMarkdown());
    }

    /** Runs every benchmark on a redis-server of its own, which is stopped before this returns. */
    public static BenchmarkReport run(BenchmarkOptions options, PrintStream progress) {
        long started = System.nanoTime();
        try (RedisNode redis = RedisNode.start()) {
            progress.println("redis-server started: " + redis);
            RedisURI uri = RedisURI.create(redis.uri());
            RedisClient rawClient = RedisClient.create(uri);
            try (StatefulRedisConnection<String, String> rawConnection = rawClient.connect();
                    LettuceLockStores.Managed lettuce = LettuceLockStores.connect(uri)) {
                RedissonClient redisson = Redisson.create(redissonConfig(redis.uri()));
                try {
                    // Caches the release script, as the stores' first NOSCRIPT fallback would.
                    redis.command("SCRIPT", "LOAD", LockScripts.RELEASE);
                    BenchmarkReport report = new BenchmarkReport(MachineDescription.of(redis, options));
                    Harness harness = new Harness(
                            options,
                            redis,
                            new LockCycles(rawConnection.async()),
                            lettuce.store(),
                            new RedissonLockStore(redisson),
                            progress);
                    new UncontendedScenario(harness).run(report);
                    new ContentionScenario(harness).run(report);
                    new ManySessionsScenario(harness).run(report);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    report.note("load average at end", MachineDescription.loadAverage());
                    report.note("run time", String.format(Locale.ROOT, "%.0f s", seconds));
                    progress.printf(Locale.ROOT, "done in %.1f s%n", seconds);
                    return report;
                } finally {
                    redisson.shutdown(0, 2, TimeUnit.SECONDS);
                }
            } finally {
                rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /** Redisson with a plain single-server config: its own defaults (connection pool, threads) but for the address. */
    private static Config redissonConfig(String address) {
        Config config = new Config();
        config.useSingleServer().setAddress(address);
        return config;
    }
}
