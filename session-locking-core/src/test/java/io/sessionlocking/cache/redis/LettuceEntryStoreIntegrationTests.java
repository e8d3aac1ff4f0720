package io.sessionlocking.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.sessionlocking.cache.AbstractRegenerationGuardContractTests;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.cache.EntryStore.ReadRequest;
import io.sessionlocking.cache.EntryStore.State;
import io.sessionlocking.cache.Readers;
import io.sessionlocking.cache.RegenerationException;
import io.sessionlocking.cache.RegenerationException.Reason;
import io.sessionlocking.cache.RegenerationGuard;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.RegenerationSettings.OnBackendFailure;
import io.sessionlocking.support.LockTokens;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard contract on Redis, where each "node" is a client of its own, plus what only a real Redis shows: the
 * storage layout, the script cache, the first-request race after a flush, notifications between nodes, outages and a
 * loader whose JVM is killed.
 */
class LettuceEntryStoreIntegrationTests extends AbstractRegenerationGuardContractTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final List<LettuceEntryStores.Managed> stores = new ArrayList<>();

    @Override
    protected EntryStore newStore() {
        return connect(redis.uri());
    }

    private EntryStore connect(String uri) {
        LettuceEntryStores.Managed managed = LettuceEntryStores.connect(RedisURI.create(uri));
        stores.add(managed);
        return managed.store();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(LettuceEntryStores.Managed::close);
    }

    @Test
    void anEntryIsOneHashWithItsValueMetadataAndNoLockOnceFilled() {
        RegenerationSettings settings = settings()
                .staleWhileRevalidate(Duration.ofSeconds(30))
                .staleIfError(Duration.ofSeconds(90))
                .build();
        RegenerationGuard<String> guard = guard(node(), settings);
        byte[] key = newKey();
        String name = new String(key, StandardCharsets.UTF_8);

        guard.get(key, Duration.ofSeconds(60), () -> "report");

        RedisNode node = redis.node();
        assertThat(node.command("TYPE", name)).isEqualTo("hash");
        assertThat(node.command("HGET", name, "v")).isEqualTo("report");
        assertThat(node.command("HEXISTS", name, "t")).isEqualTo("0");
        assertThat(node.command("HEXISTS", name, "w")).isEqualTo("0");
        long fresh = Long.parseLong(node.command("HGET", name, "f"));
        assertThat(Long.parseLong(node.command("HGET", name, "s"))).isEqualTo(fresh + 30_000);
        assertThat(Long.parseLong(node.command("HGET", name, "e"))).isEqualTo(fresh + 90_000);
        // Kept for the longer stale window after the TTL: 60 s + 90 s.
        assertThat(Long.parseLong(node.command("PTTL", name))).isBetween(140_000L, 150_000L);
    }

    @Test
    void aLockOnAMissingValueExpiresWithTheLockTtl() throws Exception {
        EntryStore store = newStore();
        byte[] key = newKey();
        String name = new String(key, StandardCharsets.UTF_8);

        EntryStore.Read read =
                store.read(key, new ReadRequest(LockTokens.next(), Duration.ofSeconds(7), 0, 0, true), BOUND);

        assertThat(read.state()).isEqualTo(State.LOAD);
        assertThat(read.generation()).isEqualTo(1);
        assertThat(Long.parseLong(redis.node().command("PTTL", name))).isBetween(1L, 7_000L);
    }

    @Test
    void aPlainStringLeftByRedisCacheBeforeTheGuardWasOnReadsAsMissingAndIsReplaced() {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();
        String name = new String(key, StandardCharsets.UTF_8);
        redis.node().command("SET", name, "old format");

        assertThat(guard.getIfFresh(key)).isNull();
        redis.node().command("SET", name, "old format");
        assertThat(guard.get(key, Duration.ofMinutes(1), () -> "new format")).isEqualTo("new format");
        assertThat(redis.node().command("TYPE", name)).isEqualTo("hash");
    }

    @Test
    void scriptsSurviveAFlushedScriptCache() {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();
        redis.node().command("SCRIPT", "FLUSH");
        assertThat(guard.get(key, Duration.ofMinutes(1), () -> "loaded")).isEqualTo("loaded");
        redis.node().command("SCRIPT", "FLUSH");
        assertThat(guard.getIfFresh(key)).isEqualTo("loaded");
    }

    @Test
    void theMagentoRaceTwoHundredFirstRequestsAfterAFlushHaveExactlyOneLockWinner() throws Exception {
        // Magento checked for the cache, then for a lock, then set the lock: three round trips that 200 requests
        // interleaved, so several each "won". Here the check and the lock are one script.
        List<EntryStore> clients = List.of(newStore(), newStore(), newStore(), newStore());
        byte[] key = newKey();
        redis.node().flushAll();

        List<Readers.Result> results = Readers.start(
                        200,
                        i -> () -> clients.get(i % clients.size())
                                .read(
                                        key,
                                        new ReadRequest(LockTokens.next(), Duration.ofSeconds(30), 0, 0, true),
                                        BOUND)
                                .state()
                                .name())
                .go()
                .await(BOUND);

        assertThat(results).filteredOn(r -> "LOAD".equals(r.value())).hasSize(1);
        assertThat(results).filteredOn(r -> "WAIT".equals(r.value())).hasSize(199);
    }

    @Test
    void aWaiterOnAnotherNodeIsWokenByTheNotificationNotByItsPoll() throws Exception {
        // A 10 s poll interval: a wake-up within a second can only come from the fill's notification.
        RegenerationSettings settings =
                settings().pollInterval(Duration.ofSeconds(10)).build();
        RegenerationGuard<String> loading = guard(node(), settings);
        RegenerationGuard<String> waiting = guard(node(), settings);
        byte[] key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Readers loader = Readers.start(
                        1,
                        i -> () -> loading.get(key, Duration.ofMinutes(1), () -> {
                            running.countDown();
                            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                    .isTrue();
                            return "filled";
                        }))
                .go();
        assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Readers waiter = Readers.start(1, i -> () -> waiting.get(key, Duration.ofMinutes(1), () -> "never"))
                .go();
        awaitWaiting(List.of(waiting), 1);
        // Past the waiter's first poll after registering its watch.
        await().pollDelay(Duration.ofMillis(200)).atMost(BOUND).until(() -> true);

        long filled = System.nanoTime();
        release.countDown();
        assertThat(waiter.await(BOUND).get(0).value()).isEqualTo("filled");
        assertThat(Duration.ofNanos(System.nanoTime() - filled)).isLessThan(Duration.ofSeconds(2));
        assertThat(loader.await(BOUND).get(0).value()).isEqualTo("filled");
    }

    @Test
    void withRedisDownTheLoaderRunsHereOncePerKeyAndNothingHangs() throws Exception {
        try (RedisNode node = RedisNode.start()) {
            RegenerationSettings settings =
                    settings().commandTimeout(Duration.ofMillis(300)).build();
            RegenerationGuard<String> guard =
                    guard(RegenerationGuards.builder(connect(node.uri())).build(), settings);
            node.kill();
            byte[] key = newKey();
            AtomicInteger loads = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);

            Readers readers = Readers.start(
                            10,
                            i -> () -> guard.get(key, Duration.ofMinutes(1), () -> {
                                loads.incrementAndGet();
                                assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                        .isTrue();
                                return "computed without Redis";
                            }))
                    .go();
            awaitWaiting(List.of(guard), 9);
            release.countDown();

            assertThat(readers.await(BOUND))
                    .allSatisfy(r -> assertThat(r.value()).isEqualTo("computed without Redis"));
            assertThat(loads).hasValue(1);
        }
    }

    @Test
    void withRedisPausedACallFailsFastWhenConfiguredTo() {
        try (RedisNode node = RedisNode.start()) {
            RegenerationSettings settings = settings()
                    .commandTimeout(Duration.ofMillis(300))
                    .onBackendFailure(OnBackendFailure.FAIL)
                    .build();
            RegenerationGuard<String> guard =
                    guard(RegenerationGuards.builder(connect(node.uri())).build(), settings);
            node.pause();

            long started = System.nanoTime();
            assertThatThrownBy(() -> guard.get(newKey(), Duration.ofMinutes(1), () -> "never"))
                    .isInstanceOfSatisfying(
                            RegenerationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(Duration.ofMillis(300).plus(MARGIN));
            node.resume();
        }
    }

    @Test
    void aLoaderWhoseJvmIsKilledFreesTheKeyWithinTheLockTtl() throws Exception {
        // Renewed every 667 ms in the other JVM: a stall of over a second there is still survived.
        Duration lockTtl = Duration.ofSeconds(2);
        RegenerationSettings settings =
                settings().lockTtl(lockTtl).pollInterval(Duration.ofMillis(50)).build();
        RegenerationGuard<String> guard = guard(node(), settings);
        byte[] key = newKey();
        Process dying = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        DyingLoaderNode.class.getName(),
                        redis.uri(),
                        new String(key, StandardCharsets.UTF_8),
                        Long.toString(lockTtl.toMillis()))
                .redirectErrorStream(true)
                .start();
        try {
            awaitLine(dying, DyingLoaderNode.LOADING);
            Readers waiter = Readers.start(1, i -> () -> guard.get(key, Duration.ofMinutes(1), () -> "taken over"))
                    .go();
            awaitWaiting(List.of(guard), 1);
            // Two TTLs: the other JVM's renewal keeps its lock while it lives.
            await().pollDelay(lockTtl.multipliedBy(2)).atMost(BOUND).until(() -> true);
            assertThat(guard.waitingCount()).isEqualTo(1);

            long killed = System.nanoTime();
            dying.destroyForcibly();
            assertThat(waiter.await(BOUND).get(0).value()).isEqualTo("taken over");
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(lockTtl.plus(MARGIN));
        } finally {
            dying.destroyForcibly();
            dying.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitLine(Process process, String expected) throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.equals(expected)) {
                        seen.countDown();
                    }
                }
            } catch (Exception e) {
                // The process was killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!seen.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            synchronized (output) {
                throw new AssertionError("the loader JVM did not start loading; its output:\n" + output);
            }
        }
    }
}
