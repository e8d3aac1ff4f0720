package io.sessionlocking.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.AbstractSessionLockProviderContractTests;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.support.LockKeys;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    void scriptsSurviveAFlushedScriptCache() {
        SessionLockProvider provider =
                new SpinLockProvider(newStore(), settings().build());
        SessionLock lock = provider.acquire(newSessionId());
        redis.node().command("SCRIPT", "FLUSH");
        assertThat(lock.extend()).isTrue();
        redis.node().command("SCRIPT", "FLUSH");
        assertThat(lock.release()).isTrue();
    }

    @Test
    void unreachableRedisFailsAsBackendUnavailableWithinTheTimeout() {
        try (RedisNode node = RedisNode.start()) {
            SessionLockProvider provider = new SpinLockProvider(
                    connect(node.uri()),
                    settings().timeout(Duration.ofSeconds(1)).build());
            node.kill();

            long start = System.nanoTime();
            assertThatThrownBy(() -> provider.acquire(newSessionId()))
                    .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
                        assertThat(e.attempts()).isGreaterThan(1);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(1).plus(MARGIN));
        }
    }

    @Test
    void pausedRedisNeverHangsAWaiterAndLeavesNoLockWhenItWakes() {
        try (RedisNode node = RedisNode.start()) {
            String sessionId = newSessionId();
            String key = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE).lockKey(sessionId);
            SessionLockProvider provider = new SpinLockProvider(
                    connect(node.uri()),
                    settings().timeout(Duration.ofMillis(500)).build());
            node.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> provider.acquire(sessionId))
                        .isInstanceOfSatisfying(
                                LockCouldNotBeAcquiredException.class,
                                e -> assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE));
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isLessThan(Duration.ofMillis(500).plus(MARGIN));
            } finally {
                node.resume();
            }
            // The SETs sent while Redis was frozen run now; the clean-up sent behind each removes its lock again.
            await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(node.command("EXISTS", key)));
        }
    }

    @Test
    void waiterRecoversWhenRedisComesBack() throws Exception {
        try (RedisNode node = RedisNode.start()) {
            CountingStore store = new CountingStore(connect(node.uri()));
            SessionLockProvider provider = new SpinLockProvider(
                    store,
                    settings()
                            .retryDelay(Duration.ofMillis(20))
                            .timeout(Duration.ofSeconds(25))
                            .build());
            node.kill();

            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(
                    () -> provider.acquire(newSessionId()).release());
            await().atMost(Duration.ofSeconds(10)).until(() -> store.failures.get() >= 3);
            node.restart();

            assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Counts failed acquisition attempts of the store it wraps. */
    static final class CountingStore extends ForwardingLockStore {

        final AtomicInteger failures = new AtomicInteger();

        CountingStore(LockStore delegate) {
            super(delegate);
        }

        @Override
        public boolean tryAcquire(String key, String token, Duration ttl, Duration timeout)
                throws InterruptedException {
            try {
                return super.tryAcquire(key, token, ttl, timeout);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw e;
            }
        }

        @Override
        public AttemptOutcome<Boolean> acquireOrQueue(
                String key, String token, Duration ttl, Duration timeout, boolean queued) throws InterruptedException {
            try {
                return super.acquireOrQueue(key, token, ttl, timeout, queued);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw e;
            }
        }
    }
}
