package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.AbstractSessionLockProviderContractTests;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.testsupport.net.TcpProxy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.spring.data.connection.RedissonConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The lock contract on the fused repository's lock, the field inside a session hash, with its queue and waiter counts
 * next to it: each "node" is a store on a connection factory of its own. The fused lock only locks existing sessions,
 * so each attempt first makes sure a session hash exists at the lock's key.
 */
class SessionHashLockStoreIntegrationTests extends AbstractSessionLockProviderContractTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @Override
    protected LockStore newStore() {
        LettuceConnectionFactory factory = FusedSessions.lettuce(redis.node().port());
        closeables.add(factory::destroy);
        SessionHashLockStore fused = (SessionHashLockStore)
                LockingRedisSessions.lockStore(factory, settings().build());
        closeables.add(fused);
        StringRedisTemplate template = new StringRedisTemplate(factory);
        return new ForwardingLockStore(fused) {
            @Override
            public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
                template.opsForHash().putIfAbsent(request.key(), "creationTime", "0"); // a session to lock
                return super.acquire(request);
            }
        };
    }

    @Test
    void anExtensionThroughAStalledConnectionCompletesExceptionallyWithinItsTimeout() {
        Duration timeout = Duration.ofMillis(500);
        String key = "spring:session:sessions:" + newSessionId();
        try (TcpProxy proxy = TcpProxy.start(redis.node().address())) {
            LettuceConnectionFactory factory = FusedSessions.lettuce(proxy.port());
            closeables.add(factory::destroy);
            SessionHashLockStore store = (SessionHashLockStore)
                    LockingRedisSessions.lockStore(factory, settings().build());
            closeables.add(store);
            String owner = heldLock(store, factory, key);
            proxy.stall();

            long sentAt = System.nanoTime();
            CompletionStage<Boolean> extension = store.extend(key, owner, Duration.ofSeconds(30), timeout);
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

    /** A connection factory without a reactive API (Jedis) extends on a small pool of its own, the same way. */
    @Test
    void theBlockingFallbackExtendsTheHeldLockAndOnlyIt() {
        LettuceConnectionFactory factory = FusedSessions.lettuce(redis.node().port());
        closeables.add(factory::destroy);
        SessionHashLockStore store = (SessionHashLockStore)
                LockingRedisSessions.lockStore(factory, settings().build());
        closeables.add(store);
        String key = "spring:session:sessions:" + newSessionId();
        String owner = heldLock(store, factory, key);
        Duration timeout = Duration.ofSeconds(2);

        try (SessionHashExtensions blocking = new SessionHashExtensions.Blocking(store.commands())) {
            assertThat(blocking.extend(key, owner, Duration.ofSeconds(30), timeout))
                    .succeedsWithin(MARGIN)
                    .isEqualTo(true);
            assertThat(store.describe(key, timeout).ttl()).isGreaterThan(Duration.ofSeconds(20));
            assertThat(blocking.extend(key, "f".repeat(32), Duration.ofMinutes(10), timeout))
                    .succeedsWithin(MARGIN)
                    .isEqualTo(false);
            assertThat(blocking.extend(key + "-absent", owner, Duration.ofSeconds(30), timeout))
                    .succeedsWithin(MARGIN)
                    .isEqualTo(false);
        }
    }

    /** Redisson's connection factory is reactive too: extensions go through its reactive API. */
    @Test
    void onRedissonsConnectionFactoryTheReactiveExtensionExtendsTheHeldLockAndOnlyIt() {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri());
        RedissonClient redisson = Redisson.create(config);
        closeables.add(redisson::shutdown);
        RedissonConnectionFactory factory = new RedissonConnectionFactory(redisson);
        SessionHashLockStore store = (SessionHashLockStore)
                LockingRedisSessions.lockStore(factory, settings().build());
        closeables.add(store);
        String key = "spring:session:sessions:" + newSessionId();
        new StringRedisTemplate(factory).opsForHash().putIfAbsent(key, "creationTime", "0");
        String owner = "e".repeat(32);
        assertThat(store.acquire(new AttemptRequest(
                        key,
                        owner,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(2),
                        AttemptRequest.Queueing.POLL,
                        1,
                        Duration.ofSeconds(20))))
                .isInstanceOf(AttemptOutcome.Acquired.class);
        Duration timeout = Duration.ofSeconds(2);

        assertThat(store.extend(key, owner, Duration.ofSeconds(30), timeout))
                .succeedsWithin(MARGIN)
                .isEqualTo(true);
        assertThat(store.describe(key, timeout).ttl()).isGreaterThan(Duration.ofSeconds(20));
        assertThat(store.extend(key, "f".repeat(32), Duration.ofMinutes(10), timeout))
                .succeedsWithin(MARGIN)
                .isEqualTo(false);
    }

    /** Creates a session hash at {@code key} and takes its lock for 20 s; returns the owner value. */
    private static String heldLock(SessionHashLockStore store, LettuceConnectionFactory factory, String key) {
        new StringRedisTemplate(factory).opsForHash().putIfAbsent(key, "creationTime", "0");
        String owner = "e".repeat(32);
        assertThat(store.acquire(new AttemptRequest(
                        key,
                        owner,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(2),
                        AttemptRequest.Queueing.POLL,
                        1,
                        Duration.ofSeconds(20))))
                .isInstanceOf(AttemptOutcome.Acquired.class);
        return owner;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        closeables.clear();
    }
}
