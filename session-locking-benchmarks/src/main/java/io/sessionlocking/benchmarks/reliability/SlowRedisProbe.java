package io.sessionlocking.benchmarks.reliability;

import io.lettuce.core.RedisURI;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.HandOffs;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.testsupport.net.TcpProxy;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The renewer on a slow Redis: 100 locks with a 600 ms TTL (renewed every 200 ms, command timeout 400 ms) held for 30 s
 * (10 s with {@code --quick}) by one node whose connection goes through a {@link TcpProxy} adding 20 ms to each
 * direction of every command. Prints {@code RESULT name=value} lines on standard output, progress on standard error:
 *
 * <ul>
 *   <li>{@code slow_redis_locks_kept}: locks whose key still holds their owner at the end, read on a direct connection
 *       (of {@code slow_redis_locks});
 *   <li>{@code slow_redis_lost}: renewals that found their lock lost;
 *   <li>{@code slow_redis_max_gap_ms}: the longest time between two confirmed extensions of one lock (from when each
 *       was sent, as the lock counts), which must stay below the TTL;
 *   <li>{@code slow_redis_extensions_sent}, {@code _failed}, {@code _skipped}: extensions sent, failed (error or
 *       time-out), and ticks that found the previous extension unanswered and sent none.
 * </ul>
 */
public final class SlowRedisProbe {

    static final int LOCKS = 100;
    static final Duration LATENCY = Duration.ofMillis(20);
    static final Duration TTL = Duration.ofMillis(600);
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(400);

    private final Duration hold;
    private final PrintStream progress;

    SlowRedisProbe(Duration hold, PrintStream progress) {
        this.hold = hold;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = String.join(" ", args).contains("--quick");
        SlowRedisProbe probe = new SlowRedisProbe(Duration.ofSeconds(quick ? 10 : 30), System.err);
        probe.run().forEach((name, value) -> System.out.println("RESULT " + name + "=" + value));
    }

    Map<String, String> run() throws Exception {
        LockSettings settings = LockSettings.builder()
                .lockTtl(TTL)
                .commandTimeout(COMMAND_TIMEOUT)
                .maxRequestTime(hold.plusMinutes(1))
                .timeout(Duration.ofSeconds(10))
                .build();
        try (RedisNode redis = RedisNode.start();
                TcpProxy proxy = TcpProxy.start(redis.address());
                LettuceLockStores.Managed client = LettuceLockStores.connect(RedisURI.create(proxy.redisUri()));
                LockRenewer renewer = new LockRenewer(settings)) {
            proxy.latency(LATENCY);
            progress.println(
                    "Slow Redis probe: " + LOCKS + " locks, TTL " + TTL.toMillis() + " ms, " + LATENCY.toMillis()
                            + " ms added each way by a proxy to " + redis + ", held " + hold.toSeconds() + " s");
            Confirmations store = new Confirmations(client.store());
            SpinLockProvider provider = new SpinLockProvider(store, settings);
            LongAdder lost = new LongAdder();
            List<SessionLock> locks = new ArrayList<>();
            for (int i = 0; i < LOCKS; i++) {
                SessionLock lock = provider.acquire(UUID.randomUUID().toString());
                renewer.start(lock, loss -> lost.increment());
                locks.add(lock);
            }
            Thread.sleep(hold.toMillis());

            long kept = store.owners.entrySet().stream()
                    .filter(owner -> owner.getValue().equals(redis.command("LINDEX", owner.getKey(), "0")))
                    .count();
            Map<String, String> results = new LinkedHashMap<>();
            results.put("slow_redis_locks", Integer.toString(LOCKS));
            results.put("slow_redis_locks_kept", Long.toString(kept));
            results.put("slow_redis_lost", Long.toString(lost.sum()));
            results.put(
                    "slow_redis_max_gap_ms", Long.toString(store.longestGap().toMillis()));
            results.put("slow_redis_ttl_ms", Long.toString(TTL.toMillis()));
            results.put("slow_redis_extensions_sent", Long.toString(store.sent.sum()));
            results.put("slow_redis_extensions_failed", Long.toString(store.failed.sum()));
            results.put("slow_redis_extensions_skipped", Long.toString(renewer.skippedExtensions()));
            locks.forEach(SessionLock::release);
            return results;
        }
    }

    /** Forwards to a store and times the confirmed extensions of each key. */
    static final class Confirmations implements LockStore {

        final Map<String, String> owners = new ConcurrentHashMap<>();
        final LongAdder sent = new LongAdder();
        final LongAdder failed = new LongAdder();
        private final Map<String, AtomicLong> lastConfirmedAt = new ConcurrentHashMap<>();
        private final AtomicLong longestGapNanos = new AtomicLong();
        private final LockStore delegate;

        Confirmations(LockStore delegate) {
            this.delegate = delegate;
        }

        Duration longestGap() {
            return Duration.ofNanos(longestGapNanos.get());
        }

        @Override
        public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
            long sentAt = System.nanoTime();
            AttemptOutcome<Boolean> outcome = delegate.acquire(request);
            if (outcome instanceof AttemptOutcome.Acquired) {
                owners.put(request.key(), request.ownerValue());
                lastConfirmedAt.put(request.key(), new AtomicLong(sentAt));
            }
            return outcome;
        }

        @Override
        public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
            long sentAt = System.nanoTime();
            sent.increment();
            return delegate.extend(key, token, ttl, timeout).whenComplete((extended, failure) -> {
                if (failure != null) {
                    failed.increment();
                } else if (Boolean.TRUE.equals(extended)) {
                    long previous = lastConfirmedAt
                            .computeIfAbsent(key, k -> new AtomicLong(sentAt))
                            .getAndAccumulate(sentAt, Math::max);
                    longestGapNanos.accumulateAndGet(sentAt - previous, Math::max);
                }
            });
        }

        @Override
        public boolean release(String key, String token, Duration ttl, Duration timeout) {
            return delegate.release(key, token, ttl, timeout);
        }

        @Override
        public boolean isHeld(String key, String token, Duration timeout) {
            return delegate.isHeld(key, token, timeout);
        }

        @Override
        public @Nullable StoredLock describe(String key, Duration timeout) {
            return delegate.describe(key, timeout);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void leave(String key, String token, Duration ttl, Duration timeout) {
            delegate.leave(key, token, ttl, timeout);
        }

        @Override
        public @Nullable HandOffs handOffs() {
            return delegate.handOffs();
        }
    }
}
