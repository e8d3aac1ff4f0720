package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.testsupport.net.Direction;
import io.sessionlocking.testsupport.net.TcpProxy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The renewer on a slow Redis: a {@link TcpProxy} adds latency to every command of the renewing node. Extensions are
 * sent without waiting for each other, so 100 locks with a 600 ms TTL are all kept; a lock whose extension is not
 * answered yet is skipped at its tick, never sent a second extension. Each lock's owner is read back from Redis
 * directly, not through the proxy.
 */
class RenewalIntegrationTests {

    private static final int LOCKS = 100;
    private static final Duration TTL = Duration.ofMillis(600);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(400);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger lost = new AtomicInteger();
    private final LockSettings settings = LockSettings.builder()
            .lockTtl(TTL)
            .commandTimeout(COMMAND_TIMEOUT)
            .maxRequestTime(Duration.ofMinutes(1))
            .timeout(Duration.ofSeconds(10))
            .build();
    private TcpProxy proxy;
    private LettuceLockStores.Managed client;
    private RenewedLocks store;
    private LockRenewer renewer;

    @BeforeEach
    void start() {
        redis.node().flushAll();
        proxy = TcpProxy.start(redis.node().address());
        client = LettuceLockStores.connect(RedisURI.create(proxy.redisUri()));
        store = new RenewedLocks(client.store());
        renewer = new LockRenewer(settings);
    }

    @AfterEach
    void stop() {
        renewer.close();
        client.close();
        proxy.close();
    }

    @Test
    void aHundredLocksOnARedisTwentyMillisecondsAwayAreAllKeptForTenSeconds() {
        proxy.latency(Duration.ofMillis(20)); // each way: a round trip of 40 ms at least
        List<SessionLock> locks = acquireAndRenew(LOCKS);

        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);

        assertOwnersInRedis();
        assertThat(lost).as("no renewal found its lock lost").hasValue(0);
        assertThat(listener.lost).isEmpty();
        assertThat(store.mostInFlight()).as("one extension per lock at a time").isEqualTo(1);
        System.out.println("RESULT renewal-slow-redis locks-kept=" + store.owners.size() + "/" + LOCKS
                + " longest-gap-ms=" + store.longestGap().toMillis() + " sent=" + store.sent.sum() + " skipped="
                + renewer.skippedExtensions() + " failed=" + store.failed.sum());
        assertThat(store.longestGap()).as("extended before the TTL ran out").isLessThan(TTL);
        locks.forEach(SessionLock::release);
        assertThat(redis.node().command("DBSIZE")).isEqualTo("0");
    }

    @Test
    void aLockWhoseExtensionIsUnansweredIsSkippedNotSentAgain() {
        proxy.latency(Duration.ofMillis(20));
        acquireAndRenew(20);

        // Replies held back for longer than a renewal period (200 ms), but not the command timeout: the commands
        // reach Redis and extend the locks; their ticks in the meantime find the extension still in flight.
        for (int round = 0; round < 10 && renewer.skippedExtensions() == 0; round++) {
            proxy.stall(Direction.DOWNSTREAM, Duration.ofMillis(300));
            await().pollDelay(TTL).atMost(TTL.multipliedBy(2)).until(() -> true);
        }

        assertThat(renewer.skippedExtensions())
                .as("ticks that found an extension in flight")
                .isPositive();
        assertThat(store.mostInFlight())
                .as("none sent behind an unanswered one")
                .isEqualTo(1);
        assertOwnersInRedis();
        assertThat(lost).hasValue(0);
    }

    private List<SessionLock> acquireAndRenew(int count) {
        SpinLockProvider provider = new SpinLockProvider(store, settings, listener);
        List<SessionLock> locks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SessionLock lock = provider.acquire(UUID.randomUUID().toString());
            renewer.start(lock, loss -> lost.incrementAndGet()); // as a request does, at once
            locks.add(lock);
        }
        return locks;
    }

    /** Each lock key still holds its owner, read on a direct connection. */
    private void assertOwnersInRedis() {
        assertThat(store.owners).isNotEmpty();
        store.owners.forEach((key, owner) -> assertThat(redis.node().command("LINDEX", key, "0"))
                .as("the owner of %s", key)
                .isEqualTo(owner));
    }
}
