package io.sessionlocking.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.AbstractSessionLockProviderContractTests;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.support.LockKeys;
import io.sessionlocking.testsupport.net.TcpProxy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock contract, plus what only a real Redis can show: the storage layout, the script cache, outages and pauses.
 * Both Redis stores (Lettuce and Redisson) extend this class.
 */
public abstract class AbstractRedisLockStoreIntegrationTests extends AbstractSessionLockProviderContractTests {

    @RegisterExtension
    protected static final RedisExtension redis = RedisExtension.perClass();

    private final List<AutoCloseable> clients = new ArrayList<>();

    /** A store on a new client connected to {@code uri}; register the client with {@link #closeAfterTest}. */
    protected abstract LockStore connect(String uri);

    protected final <T extends AutoCloseable> T closeAfterTest(T client) {
        clients.add(client);
        return client;
    }

    @Override
    protected LockStore newStore() {
        return connect(redis.uri());
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void lockIsOneListWithTheHoldersRandomTokenFirstAndTheTtl() {
        String sessionId = newSessionId();
        String key = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE).lockKey(sessionId);
        SessionLockProvider provider = new SpinLockProvider(
                newStore(), settings().lockTtl(Duration.ofSeconds(20)).build());

        try (SessionLock lock = provider.acquire(sessionId)) {
            RedisNode node = redis.node();
            assertThat(key).isEqualTo("spring:session:lock:{" + sessionId + "}");
            assertThat(node.command("TYPE", key)).isEqualTo("list");
            assertThat(node.command("LRANGE", key, "0", "-1"))
                    .as("the holder, nobody queued")
                    .matches("[0-9a-f]{32}");
            assertThat(Long.parseLong(node.command("PTTL", key))).isBetween(1L, 20_000L);
        }
        assertThat(redis.node().command("EXISTS", key)).isEqualTo("0");
    }

    @Test
    void aQueueingAttemptSentTwiceQueuesItsOwnerOnce() throws Exception {
        // Lettuce sends an unanswered command again after a reconnect: the second copy must find the first's effect.
        LockStore store = newStore();
        String key = "spring:session:lock:{" + newSessionId() + "}";
        Duration ttl = Duration.ofSeconds(20);
        Duration timeout = Duration.ofSeconds(2);
        String holder = "a".repeat(32);
        String waiter = "b".repeat(32);
        assertThat(store.acquire(queueing(key, holder, ttl, timeout))).isInstanceOf(AttemptOutcome.Acquired.class);
        assertThat(store.acquire(queueing(key, holder, ttl, timeout)))
                .as("already the holder's")
                .isInstanceOf(AttemptOutcome.Acquired.class);
        assertThat(store.acquire(queueing(key, waiter, ttl, timeout))).isInstanceOf(AttemptOutcome.Queued.class);
        assertThat(store.acquire(queueing(key, waiter, ttl, timeout))).isInstanceOf(AttemptOutcome.Queued.class);
        assertThat(redis.node().command("LRANGE", key, "0", "-1")).isEqualTo(holder + "\n" + waiter);

        assertThat(store.release(key, holder, ttl, timeout)).isTrue();
        assertThat(redis.node().command("LRANGE", key, "0", "-1")).isEqualTo(waiter);
        assertThat(store.release(key, waiter, ttl, timeout)).isTrue();
        assertThat(redis.node().command("EXISTS", key))
                .as("nobody left to hand it to")
                .isEqualTo("0");
    }

    @Test
    void aLateReleaseLeavesAnotherHoldersLockAsItIs() throws Exception {
        LockStore store = newStore();
        String key = "spring:session:lock:{" + newSessionId() + "}";
        String holder = "c".repeat(32);
        assertThat(store.acquire(queueing(key, holder, Duration.ofSeconds(20), Duration.ofSeconds(2))))
                .isInstanceOf(AttemptOutcome.Acquired.class);
        redis.node().command("PEXPIRE", key, "1500");

        assertThat(store.release(key, "d".repeat(32), Duration.ofSeconds(30), Duration.ofSeconds(2)))
                .isFalse();
        assertThat(redis.node().command("LRANGE", key, "0", "-1")).isEqualTo(holder);
        assertThat(Long.parseLong(redis.node().command("PTTL", key)))
                .as("not given a stranger's TTL")
                .isBetween(1L, 1500L);
    }

    @Test
    void aReleasePassesOverTheQueueEntryOfANodeThatDiedWhileWaiting() throws Exception {
        LockStore store = newStore();
        String key = "spring:session:lock:{" + newSessionId() + "}";
        Duration ttl = Duration.ofSeconds(20);
        Duration timeout = Duration.ofSeconds(2);
        String holder = "e".repeat(32);
        String dead = "f".repeat(32);
        String alive = "1".repeat(32);
        assertThat(store.acquire(queueing(key, holder, ttl, timeout))).isInstanceOf(AttemptOutcome.Acquired.class);
        // A waiter whose wait ends in 100 ms, and whose node dies before it can leave; then a live one behind it.
        assertThat(store.acquire(new AttemptRequest(
                        key, dead, ttl, timeout, AttemptRequest.Queueing.QUEUE, 1, Duration.ofMillis(100))))
                .isInstanceOf(AttemptOutcome.Queued.class);
        assertThat(store.acquire(queueing(key, alive, ttl, timeout))).isInstanceOf(AttemptOutcome.Queued.class);
        // The dead waiter's count, "<count>:<expiresAtMs>", lapses by the server's clock.
        long countExpiresAt = Long.parseLong(
                redis.node().command("HGET", LockKeys.waitersKey(key), dead).split(":")[1]);
        await().atMost(Duration.ofSeconds(5)).until(() -> redisMillis() > countExpiresAt);

        assertThat(store.release(key, holder, ttl, timeout)).isTrue();
        assertThat(redis.node().command("LRANGE", key, "0", "-1"))
                .as("handed to the live waiter, not to the dead one (which would keep it from everyone for a TTL)")
                .isEqualTo(alive);

        assertThat(store.release(key, alive, ttl, timeout)).isTrue();
        assertThat(redis.node().command("EXISTS", key)).isEqualTo("0");
    }

    /** The server's clock, in ms ({@code TIME}). */
    private static long redisMillis() {
        String[] time = redis.node().command("TIME").split("\n");
        return Long.parseLong(time[0]) * 1000 + Long.parseLong(time[1]) / 1000;
    }

    private static AttemptRequest queueing(String key, String owner, Duration ttl, Duration timeout) {
        return new AttemptRequest(key, owner, ttl, timeout, AttemptRequest.Queueing.QUEUE, 1, ttl);
    }

    @Test
    void scriptsSurviveAFlushedScriptCache() {
        SessionLockProvider provider =
                new SpinLockProvider(newStore(), settings().build());
        SessionLock lock = provider.acquire(newSessionId());
        redis.node().command("SCRIPT", "FLUSH");
        assertThat(lock.extend()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(SessionLock.Extension.EXTENDED);
        redis.node().command("SCRIPT", "FLUSH");
        assertThat(lock.release()).isTrue();
    }

    @Test
    void anExtensionThroughAStalledConnectionCompletesExceptionallyWithinItsTimeout() throws Exception {
        String key = "spring:session:lock:{" + newSessionId() + "}";
        String holder = "e".repeat(32);
        Duration ttl = Duration.ofSeconds(20);
        Duration timeout = Duration.ofMillis(500);
        try (TcpProxy proxy = TcpProxy.start(redis.node().address())) {
            LockStore store = connect(proxy.redisUri());
            assertThat(store.acquire(queueing(key, holder, ttl, Duration.ofSeconds(2))))
                    .isInstanceOf(AttemptOutcome.Acquired.class);
            proxy.stall();

            long sentAt = System.nanoTime();
            CompletionStage<Boolean> extension = store.extend(key, holder, ttl, timeout);
            assertThat(Duration.ofNanos(System.nanoTime() - sentAt))
                    .as("sent without waiting for the reply")
                    .isLessThan(timeout);
            assertThat(extension)
                    .failsWithin(timeout.plus(MARGIN))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(LockStoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - sentAt))
                    .as("not before its timeout")
                    .isGreaterThanOrEqualTo(timeout);
            proxy.heal();
        }
    }

    @Test
    void unreachableRedisFailsAsBackendUnavailableWithinTheCommandTimeout() {
        Duration commandTimeout = Duration.ofMillis(500);
        try (RedisNode node = RedisNode.start()) {
            SessionLockProvider provider = new SpinLockProvider(
                    connect(node.uri()),
                    settings()
                            .timeout(Duration.ofSeconds(20))
                            .commandTimeout(commandTimeout)
                            .build());
            node.kill();

            long start = System.nanoTime();
            assertThatThrownBy(() -> provider.acquire(newSessionId()))
                    .isInstanceOfSatisfying(
                            LockCouldNotBeAcquiredException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a failing streak ends at the command timeout, not at the 20 s wait timeout")
                    .isLessThan(commandTimeout.plus(MARGIN));
        }
    }

    @Test
    void pausedRedisFailsAtTheCommandTimeoutAndLeavesNoLockWhenItWakes() {
        Duration commandTimeout = Duration.ofMillis(400);
        try (RedisNode node = RedisNode.start()) {
            String sessionId = newSessionId();
            String key = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE).lockKey(sessionId);
            SessionLockProvider provider = new SpinLockProvider(
                    connect(node.uri()),
                    settings()
                            .timeout(Duration.ofSeconds(20))
                            .commandTimeout(commandTimeout)
                            .build());
            node.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> provider.acquire(sessionId))
                        .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                            assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
                            assertThat(e.attempts())
                                    .as("a call that timed out used the whole budget")
                                    .isEqualTo(1);
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isBetween(commandTimeout, commandTimeout.plus(MARGIN));
            } finally {
                node.resume();
            }
            // The SET sent while Redis was frozen runs now; the clean-up sent behind it removes its lock again.
            await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(node.command("EXISTS", key)));
        }
    }

    @Test
    void waiterSurvivesARedisRestartShorterThanTheCommandTimeout() throws Exception {
        try (RedisNode node = RedisNode.start()) {
            CountingStore store = new CountingStore(connect(node.uri()));
            SessionLockProvider provider = new SpinLockProvider(
                    store,
                    settings()
                            .retryDelay(Duration.ofMillis(20))
                            .timeout(Duration.ofSeconds(25))
                            .commandTimeout(Duration.ofSeconds(15))
                            .build());
            node.kill();

            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(
                    () -> provider.acquire(newSessionId()).release());
            await().atMost(Duration.ofSeconds(10)).until(() -> store.failures.get() >= 3);
            node.restart();

            assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void waitersOfASessionOnOneNodeFailTogetherWhenRedisIsDown() throws Exception {
        Duration commandTimeout = Duration.ofMillis(500);
        try (RedisNode node = RedisNode.start()) {
            String sessionId = newSessionId();
            SessionLockProvider holder =
                    new SpinLockProvider(connect(node.uri()), settings().build());
            SessionLockProvider waiters = new SpinLockProvider(
                    connect(node.uri()),
                    settings()
                            .timeout(Duration.ofSeconds(20))
                            .commandTimeout(commandTimeout)
                            .build());
            holder.acquire(sessionId);
            List<CompletableFuture<Reason>> failures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                failures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        waiters.acquire(sessionId).release();
                        return null;
                    } catch (LockCouldNotBeAcquiredException e) {
                        return e.reason();
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waitingCount() == 5);
            long killedAt = System.nanoTime();
            node.kill();
            for (CompletableFuture<Reason> failure : failures) {
                assertThat(failure.get(30, TimeUnit.SECONDS)).isEqualTo(Reason.BACKEND_UNAVAILABLE);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
                    .as("the waiters behind the first fail with its streak, not one command timeout after another")
                    .isLessThan(commandTimeout.plus(MARGIN));
        }
    }

    /** Counts failed acquisition attempts of the store it wraps. */
    static final class CountingStore extends ForwardingLockStore {

        final AtomicInteger failures = new AtomicInteger();

        CountingStore(LockStore delegate) {
            super(delegate);
        }

        @Override
        public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
            try {
                return super.acquire(request);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw e;
            }
        }
    }
}
