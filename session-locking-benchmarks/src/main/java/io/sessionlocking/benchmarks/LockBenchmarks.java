package io.sessionlocking.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sessionlocking.core.LockClock;
import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.memory.InMemoryLockStore;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.redisson.RedissonLockStore;
import io.sessionlocking.support.LockScripts;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The load harness. One run starts one fresh redis-server (with {@link RedisNode}) and measures, side by side:
 *
 * <ol>
 *   <li><b>Uncontended cost</b>: one thread, back to back, (a) the physical limit, a raw Lettuce {@code SET key v NX
 *       PX} + {@code DEL key} on one connection; (b) {@link SpinLockProvider} acquire + release on the Lettuce store;
 *       (c) the same on the Redisson store; (d) the same on the in-memory store.
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

    private static final Duration RAW_TTL = Duration.ofSeconds(30);

    /** As long as a lock token, so that the raw pair sends as many bytes as the engine's SET. */
    private static final String RAW_VALUE = "0123456789abcdef0123456789abcdef";

    private static final SetArgs RAW_SET_ARGS = SetArgs.Builder.nx().px(RAW_TTL.toMillis());

    private static final long THREAD_JOIN_MILLIS = 10_000;

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
                    BenchmarkReport report = new BenchmarkReport(machine(redis, options));
                    Harness harness = new Harness(
                            options,
                            redis,
                            rawConnection.async(),
                            lettuce.store(),
                            new RedissonLockStore(redisson),
                            progress);
                    harness.uncontended(report);
                    harness.contention(report);
                    harness.manySessions(report);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    report.note("load average at end", loadAverage());
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

    private static Map<String, String> machine(RedisNode redis, BenchmarkOptions options) {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("date", Instant.now().toString());
        machine.put("mode", options.quickMode() ? "--quick (smoke test, poor statistics)" : "full");
        machine.put(
                "cpus (availableProcessors)",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", cpuModel());
        machine.put("load average at start", loadAverage());
        machine.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("redis", "redis-server " + infoField(redis, "redis_version") + " (" + redis.binary() + ")");
        machine.put(
                "redis clients", "Lettuce " + versionOf(RedisClient.class) + ", Redisson " + versionOf(Redisson.class));
        return machine;
    }

    /** The 1-minute load average: how busy the shared machine was (on 2 cores, above 2 means queueing). */
    private static String loadAverage() {
        return String.format(
                Locale.ROOT,
                "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String infoField(RedisNode redis, String field) {
        String info = redis.command("INFO", "server");
        for (String line : info == null ? new String[0] : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "?";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "?" : version;
    }

    /** One benchmark run's clients and settings. */
    private static final class Harness {

        private final BenchmarkOptions options;
        private final RedisNode redis;
        private final RedisAsyncCommands<String, String> raw;
        private final LockStore lettuceStore;
        private final LockStore redissonStore;
        private final PrintStream progress;

        Harness(
                BenchmarkOptions options,
                RedisNode redis,
                RedisAsyncCommands<String, String> raw,
                LockStore lettuceStore,
                LockStore redissonStore,
                PrintStream progress) {
            this.options = options;
            this.redis = redis;
            this.raw = raw;
            this.lettuceStore = lettuceStore;
            this.redissonStore = redissonStore;
            this.progress = progress;
        }

        // ---------------------------------------------------------------- 1. uncontended

        void uncontended(BenchmarkReport report) {
            List<String> names = BenchmarkReport.UNCONTENDED_ROWS;
            String rawKey = "spring:session:lock:{uncontended-raw}";
            List<UncontendedVariant> variants = List.of(
                    new UncontendedVariant(names.get(0), true, () -> rawPair(rawKey)),
                    new UncontendedVariant(names.get(1), true, () -> rawScriptPair(rawKey)),
                    new UncontendedVariant(names.get(2), true, engineOp(lettuceStore, "uncontended-lettuce")),
                    new UncontendedVariant(names.get(3), true, engineOp(redissonStore, "uncontended-redisson")),
                    new UncontendedVariant(
                            names.get(4), false, engineOp(new InMemoryLockStore(), "uncontended-memory")));
            for (UncontendedVariant variant : variants) {
                progress.println("uncontended warm-up: " + variant.name);
                for (int i = 0; i < options.uncontendedWarmup(); i++) {
                    variant.op.run();
                }
            }
            int rounds = options.uncontendedRounds();
            int perRound = Math.max(1, options.uncontendedIterations() / rounds);
            long budget = options.uncontendedBudget().toNanos();
            progress.println("uncontended: " + rounds + " rounds of " + perRound + " iterations per variant");
            for (int round = 0; round < rounds; round++) {
                for (UncontendedVariant variant : variants) {
                    CommandStats before = variant.onRedis ? CommandStats.of(redis) : null;
                    long start = System.nanoTime();
                    long end = start;
                    for (int i = 0; i < perRound && variant.elapsedNanos + (end - start) < budget; i++) {
                        long t0 = System.nanoTime();
                        variant.op.run();
                        end = System.nanoTime();
                        variant.samples.add(end - t0);
                    }
                    variant.elapsedNanos += end - start;
                    if (before != null) {
                        variant.requests += CommandStats.of(redis).requestsSince(before);
                    }
                }
            }
            for (UncontendedVariant variant : variants) {
                Samples.Sorted sorted = Samples.merge(List.of(variant.samples));
                report.add(new BenchmarkReport.Uncontended(
                        variant.name,
                        sorted.count(),
                        sorted.count() / (variant.elapsedNanos / 1e9),
                        sorted.percentile(50) / 1e3,
                        sorted.percentile(99) / 1e3,
                        sorted.max() / 1e3,
                        variant.onRedis ? (double) variant.requests / sorted.count() : 0));
            }
        }

        /** The physical limit: {@code SET key v NX PX ttl} then {@code DEL key}, two round trips, no script. */
        private void rawPair(String key) {
            if (!"OK".equals(await(raw.set(key, RAW_VALUE, RAW_SET_ARGS)))) {
                throw new IllegalStateException("raw SET NX found " + key + " taken");
            }
            await(raw.del(key));
        }

        /** The physical limit of a safe lock: the engine's two commands, without the engine. */
        private void rawScriptPair(String key) {
            if (!"OK".equals(await(raw.set(key, RAW_VALUE, RAW_SET_ARGS)))) {
                throw new IllegalStateException("raw SET NX found " + key + " taken");
            }
            Long deleted = await(
                    raw.evalsha(LockScripts.RELEASE_SHA, ScriptOutputType.INTEGER, new String[] {key}, RAW_VALUE));
            if (!Long.valueOf(1).equals(deleted)) {
                throw new IllegalStateException("raw compare-and-delete did not delete " + key);
            }
        }

        private Runnable engineOp(LockStore store, String sessionId) {
            SpinLockProvider provider = new SpinLockProvider(store, LockSettings.defaults());
            return () -> {
                SessionLock lock = provider.acquire(sessionId);
                if (!lock.release()) {
                    throw new IllegalStateException("release of an uncontended lock failed");
                }
            };
        }

        // ---------------------------------------------------------------- 2. contention on one session

        void contention(BenchmarkReport report) {
            List<LockSettings> strategies = List.of(
                    LockSettings.builder()
                            .backoff(LockSettings.Backoff.FIXED)
                            .retryDelay(Duration.ofMillis(10))
                            .build(),
                    LockSettings.builder()
                            .backoff(LockSettings.Backoff.FIXED)
                            .retryDelay(Duration.ofMillis(1))
                            .build(),
                    LockSettings.builder()
                            .backoff(LockSettings.Backoff.EXPONENTIAL)
                            .retryDelay(Duration.ofMillis(1))
                            .maxRetryDelay(Duration.ofMillis(50))
                            .build());
            for (int threads : options.contentionThreads()) {
                for (int s = 0; s < strategies.size(); s++) {
                    String strategy = BenchmarkReport.CONTENTION_STRATEGIES.get(s);
                    progress.println("contention: " + strategy + ", " + threads + " threads");
                    report.add(contend(strategy, strategies.get(s), threads, "hot-" + threads + "-" + s));
                }
            }
        }

        private BenchmarkReport.Contention contend(
                String strategy, LockSettings settings, int threads, String sessionId) {
            CancellableClock clock = new CancellableClock();
            AttemptsListener listener = new AttemptsListener();
            SpinLockProvider provider = new SpinLockProvider(lettuceStore, settings, listener, clock);
            long workNanos = options.criticalSection().toNanos();

            AtomicInteger inside = new AtomicInteger();
            AtomicInteger lastOwner = new AtomicInteger(-1);
            LongAdder violations = new LongAdder();
            AtomicLongArray waitingSince = new AtomicLongArray(threads);
            ContentionWorker[] workers = new ContentionWorker[threads];

            long windowStart = System.nanoTime()
                    + Duration.ofMillis(20).toNanos()
                    + options.contentionWarmup().toNanos();
            long windowEnd = windowStart + options.contentionWindow().toNanos();
            for (int t = 0; t < threads; t++) {
                int me = t;
                ContentionWorker worker = new ContentionWorker();
                workers[t] = worker;
                worker.thread = new Thread(
                        () -> {
                            while (!clock.cancelled) {
                                long t0 = System.nanoTime();
                                waitingSince.set(me, t0);
                                SessionLock lock;
                                try {
                                    lock = provider.acquire(sessionId);
                                } catch (LockCouldNotBeAcquiredException e) {
                                    waitingSince.set(me, 0);
                                    if (e.reason() == LockCouldNotBeAcquiredException.Reason.INTERRUPTED
                                            && clock.cancelled) {
                                        Thread.interrupted(); // the end of the window, not a failure
                                        break;
                                    }
                                    long at = System.nanoTime();
                                    if (at - windowStart >= 0 && at - windowEnd < 0) {
                                        worker.failures.merge(e.reason(), 1L, Long::sum);
                                    }
                                    continue;
                                }
                                long acquiredAt = System.nanoTime();
                                waitingSince.set(me, 0);
                                int attempts = listener.lastAttempts();
                                if (inside.incrementAndGet() != 1) {
                                    violations.increment();
                                }
                                int previousOwner = lastOwner.getAndSet(me);
                                long w0 = System.nanoTime();
                                work(workNanos);
                                long w1 = System.nanoTime();
                                inside.decrementAndGet();
                                if (!lock.release()) {
                                    worker.lostOnRelease++;
                                }
                                if (acquiredAt - windowStart >= 0 && acquiredAt - windowEnd < 0) {
                                    worker.sections++;
                                    worker.attempts += attempts;
                                    worker.workNanos += w1 - w0;
                                    worker.waits.add(acquiredAt - t0);
                                    if (previousOwner != me) {
                                        worker.handOffs++;
                                    }
                                }
                            }
                        },
                        "contention-" + t);
                worker.thread.setDaemon(true);
            }
            for (ContentionWorker worker : workers) {
                worker.thread.start();
            }
            sleepUntil(windowStart);
            CommandStats before = CommandStats.of(redis);
            sleepUntil(windowEnd);
            CommandStats after = CommandStats.of(redis);
            long now = System.nanoTime();
            long longestUnfinished = 0;
            for (int t = 0; t < threads; t++) {
                long since = waitingSince.get(t);
                if (since != 0) {
                    longestUnfinished = Math.max(longestUnfinished, now - since);
                }
            }
            clock.cancelled = true;
            joinAll(workers);

            long sections = 0;
            long attempts = 0;
            long handOffs = 0;
            long work = 0;
            long lost = 0;
            long minPerThread = Long.MAX_VALUE;
            long maxPerThread = 0;
            Map<LockCouldNotBeAcquiredException.Reason, Long> failures =
                    new EnumMap<>(LockCouldNotBeAcquiredException.Reason.class);
            List<Samples> waits = new ArrayList<>();
            for (ContentionWorker worker : workers) {
                sections += worker.sections;
                attempts += worker.attempts;
                handOffs += worker.handOffs;
                work += worker.workNanos;
                lost += worker.lostOnRelease;
                minPerThread = Math.min(minPerThread, worker.sections);
                maxPerThread = Math.max(maxPerThread, worker.sections);
                worker.failures.forEach((reason, count) -> failures.merge(reason, count, Long::sum));
                waits.add(worker.waits);
            }
            long failed = failures.values().stream().mapToLong(Long::longValue).sum();
            if (!failures.isEmpty() || lost > 0) {
                progress.println("  failures by reason: " + failures + ", locks lost on release: " + lost);
            }
            progress.println("  Redis lock commands in the window: " + after.deltaSince(before));
            double seconds = options.contentionWindow().toNanos() / 1e9;
            double meanWork = sections == 0 ? workNanos : (double) work / sections;
            Samples.Sorted sorted = Samples.merge(waits);
            long commands = after.requestsSince(before);
            return new BenchmarkReport.Contention(
                    strategy,
                    threads,
                    sections / seconds,
                    1e9 / meanWork,
                    handOffs / seconds,
                    sorted.percentile(50) / 1e6,
                    sorted.percentile(99) / 1e6,
                    sorted.max() / 1e6,
                    longestUnfinished / 1e6,
                    failed + lost,
                    sections == 0 ? 0 : (double) attempts / sections,
                    sections == 0 ? 0 : (double) commands / sections,
                    commands / seconds,
                    minPerThread,
                    maxPerThread,
                    violations.sum());
        }

        /** The critical section: about {@code nanos} of (parked) work, as a request's session update. */
        private static void work(long nanos) {
            long until = System.nanoTime() + nanos;
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }

        // ---------------------------------------------------------------- 3. many independent sessions

        void manySessions(BenchmarkReport report) {
            List<String> names = BenchmarkReport.MANY_SESSIONS_ROWS;
            int threads = options.manySessionsThreads();
            String[][] rawKeys = sessionIds(threads, "spring:session:lock:{many-raw-", "}");
            report.add(measureMany(
                    names.get(0), threads, (thread, i) -> rawPair(rawKeys[thread][i % rawKeys[thread].length])));
            report.add(measureMany(names.get(1), threads, manyEngineOp(lettuceStore, threads, "many-lettuce-")));
            report.add(measureMany(names.get(2), threads, manyEngineOp(redissonStore, threads, "many-redisson-")));
        }

        private ThreadOp manyEngineOp(LockStore store, int threads, String prefix) {
            SpinLockProvider provider = new SpinLockProvider(store, LockSettings.defaults());
            String[][] ids = sessionIds(threads, prefix, "");
            return (thread, i) -> {
                SessionLock lock = provider.acquire(ids[thread][i % ids[thread].length]);
                if (!lock.release()) {
                    throw new IllegalStateException("release of an own session's lock failed");
                }
            };
        }

        private static String[][] sessionIds(int threads, String prefix, String suffix) {
            String[][] ids = new String[threads][16];
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < ids[t].length; i++) {
                    ids[t][i] = prefix + t + "-" + i + suffix;
                }
            }
            return ids;
        }

        private BenchmarkReport.ManySessions measureMany(String name, int threads, ThreadOp op) {
            progress.println("many sessions: " + name + ", " + threads + " threads");
            long windowStart = System.nanoTime()
                    + Duration.ofMillis(20).toNanos()
                    + options.manySessionsWarmup().toNanos();
            long windowEnd = windowStart + options.manySessionsWindow().toNanos();
            Samples[] samples = new Samples[threads];
            RuntimeException[] errors = new RuntimeException[threads];
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int me = t;
                samples[t] = new Samples();
                workers[t] = new Thread(
                        () -> {
                            try {
                                for (int i = 0; ; i++) {
                                    long t0 = System.nanoTime();
                                    if (t0 - windowEnd >= 0) {
                                        return;
                                    }
                                    op.run(me, i);
                                    long t1 = System.nanoTime();
                                    if (t0 - windowStart >= 0 && t1 - windowEnd < 0) {
                                        samples[me].add(t1 - t0);
                                    }
                                }
                            } catch (RuntimeException e) {
                                errors[me] = e;
                            }
                        },
                        "many-" + t);
                workers[t].setDaemon(true);
            }
            for (Thread worker : workers) {
                worker.start();
            }
            sleepUntil(windowStart);
            CommandStats before = CommandStats.of(redis);
            sleepUntil(windowEnd);
            CommandStats after = CommandStats.of(redis);
            for (Thread worker : workers) {
                join(worker);
            }
            for (RuntimeException error : errors) {
                if (error != null) {
                    throw new IllegalStateException(name + " failed", error);
                }
            }
            Samples.Sorted sorted = Samples.merge(List.of(samples));
            double seconds = options.manySessionsWindow().toNanos() / 1e9;
            return new BenchmarkReport.ManySessions(
                    name,
                    threads,
                    sorted.count() / seconds,
                    sorted.percentile(50) / 1e3,
                    sorted.percentile(99) / 1e3,
                    sorted.count() == 0 ? 0 : (double) after.requestsSince(before) / sorted.count());
        }

        // ---------------------------------------------------------------- helpers

        private static void sleepUntil(long nanoTime) {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }

        private static void joinAll(ContentionWorker[] workers) {
            for (ContentionWorker worker : workers) {
                join(worker.thread);
            }
        }

        private static void join(Thread thread) {
            try {
                thread.join(THREAD_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining " + thread.getName(), e);
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(
                        thread.getName() + " did not finish within " + THREAD_JOIN_MILLIS + " ms after its window");
            }
        }
    }

    /** The reply of a raw command, waited for as the lock stores wait for theirs. */
    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("raw command failed", e);
        }
    }

    /** One uncontended variant and what its rounds measured so far. */
    private static final class UncontendedVariant {
        final String name;
        final boolean onRedis;
        final Runnable op;
        final Samples samples = new Samples();
        long elapsedNanos;
        long requests;

        UncontendedVariant(String name, boolean onRedis, Runnable op) {
            this.name = name;
            this.onRedis = onRedis;
            this.op = op;
        }
    }

    /** One operation of thread {@code thread}, its {@code i}-th. */
    @FunctionalInterface
    private interface ThreadOp {
        void run(int thread, int i);
    }

    /** A contention thread's counters; written by that thread only, read after it ended. */
    private static final class ContentionWorker {
        Thread thread;
        long sections;
        long attempts;
        long handOffs;
        long workNanos;
        long lostOnRelease;
        final Samples waits = new Samples();
        final Map<LockCouldNotBeAcquiredException.Reason, Long> failures =
                new EnumMap<>(LockCouldNotBeAcquiredException.Reason.class);
    }

    /**
     * The system clock, whose pauses end the acquisition (as an interrupt would) once the window is over, so that
     * waiters still spinning then stop without a thread interrupt, which would also hit a holder's release.
     */
    private static final class CancellableClock implements LockClock {

        volatile boolean cancelled;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            if (cancelled) {
                throw new InterruptedException("benchmark window over");
            }
            LockClock.SYSTEM.sleep(nanos);
            if (cancelled) {
                throw new InterruptedException("benchmark window over");
            }
        }
    }

    /**
     * Hands each acquisition's attempt count to the acquiring thread: the engine calls the listener synchronously on
     * that thread before {@code acquire} returns.
     */
    private static final class AttemptsListener implements SessionLockListener {

        private final ThreadLocal<int[]> last = ThreadLocal.withInitial(() -> new int[1]);

        @Override
        public void onAcquired(Acquired event) {
            last.get()[0] = event.attempts();
        }

        int lastAttempts() {
            return last.get()[0];
        }
    }
}
