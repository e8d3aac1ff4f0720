package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.web.HeldLocks;
import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockLostException;
import io.sessionlocking.testsupport.net.TcpProxy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The holder's connection to Redis goes through a {@link TcpProxy} that stalls longer than the lock's TTL while the
 * holder holds the lock and saves: its save waits in the proxy, the lock expires, another node takes
 * it and writes. When the stall ends the stale save reaches Redis and is refused: inside the write on the fused
 * repository, by the check just before the delegate's write on the decorator. The decorator's check and write are two
 * steps, so a write delayed after its check still lands: the last test shows that window as it is.
 */
class StalledHolderIntegrationTests {

    private static final Duration TTL = Duration.ofSeconds(1);
    /** Longer than any stall here: the stalled commands wait in the proxy rather than time out. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final ExecutorService holderThread = Executors.newSingleThreadExecutor();
    private TcpProxy proxy;

    @BeforeEach
    void start() {
        redis.node().flushAll();
        proxy = TcpProxy.start(redis.node().address());
    }

    @AfterEach
    void stop() {
        holderThread.shutdownNow();
        proxy.close();
    }

    private static LockSettings settings() {
        return settings(TTL);
    }

    /**
     * Lock commands too wait out the stall rather than time out: the stale holder must get its answer. Renewal is off:
     * it needs a TTL of 1.5 command timeouts, and a stalled holder's renewal presumes the lock lost after one TTL
     * without a confirmed extension before its save could reach Redis (RenewalIntegrationTests).
     */
    private static LockSettings settings(Duration ttl) {
        return LockSettings.builder()
                .lockTtl(ttl)
                .retryDelay(Duration.ofMillis(10))
                .timeout(Duration.ofSeconds(15))
                .commandTimeout(Duration.ofSeconds(10))
                .build();
    }

    @ParameterizedTest
    @EnumSource(FaultNode.Repository.class)
    void aStallLongerThanTheTtlFencesOutTheStaleHoldersSave(FaultNode.Repository repository) throws Exception {
        try (FaultNode stalled = FaultNode.start(repository, proxy.port(), settings(), CLIENT_TIMEOUT, false);
                FaultNode other = FaultNode.start(repository, redis.node().port(), settings(), CLIENT_TIMEOUT, false)) {
            String id = other.createSession(Map.of("counter", 0));
            FaultNode.Held stale = stalled.hold(id);
            stale.session.setAttribute("counter", 100);

            proxy.stall();
            CompletableFuture<Void> staleSave = CompletableFuture.runAsync(stale::save, holderThread);
            long stalledAt = System.nanoTime();
            Integer newer = other.request(id, session -> {
                int value = (Integer) session.getAttribute("counter") + 1;
                session.setAttribute("counter", value);
                return value;
            });
            Duration tookOver = Duration.ofNanos(System.nanoTime() - stalledAt);
            assertThat(staleSave)
                    .as("the stale save is still stuck in the stall")
                    .isNotDone();
            proxy.heal();

            assertThatThrownBy(() -> staleSave.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SessionLockLostException.class);
            System.out.println("RESULT stall-takeover-" + repository.name().toLowerCase() + "-ms=" + tookOver.toMillis()
                    + " (ttl " + TTL.toMillis() + " ms)");
            assertThat(newer)
                    .as("the other node read the state before the stale holder's change")
                    .isEqualTo(1);
            assertThat(other.read(id).<Integer>getAttribute("counter"))
                    .as("the newer write stands, the stale one was refused")
                    .isEqualTo(1);
            assertThat(stale.state()).isEqualTo(RequestSessionLock.State.LOST);
            assertThat(stalled.listener.lost).as("counted as session.lock.lost").isNotEmpty();
            stale.end();
            HeldLocks.assertNoneLeft(redis.node());
        }
    }

    /**
     * The decorator's remaining window, shown as it is: the lock key's check passes, then the delegate's write is
     * delayed (its connection stalls; a GC pause or a slow network does the same) past the lock's TTL, another request
     * takes the lock and writes, and the delayed write then lands over it. Renewal is off for the holder: a stall of
     * the whole JVM stops renewal too. The fused repository has no such window, since its check is inside the write.
     */
    @Test
    void theDecoratorsWindowAWriteDelayedAfterItsCheckStillLands() throws Exception {
        // A longer TTL, so that the holder's check surely runs before its lock expires, even on a loaded machine.
        Duration ttl = Duration.ofSeconds(2);
        try (FaultNode holder =
                        FaultNode.decorator(proxy.port(), redis.node().port(), settings(ttl), CLIENT_TIMEOUT, false);
                FaultNode other = FaultNode.start(
                        FaultNode.Repository.DECORATOR, redis.node().port(), settings(ttl), CLIENT_TIMEOUT, false)) {
            String id = other.createSession(Map.of("counter", 0));
            FaultNode.Held late = holder.hold(id);
            late.session.setAttribute("counter", 100);

            proxy.stall(); // only the holder's session data goes through the proxy; its lock key does not
            CompletableFuture<Void> lateSave = CompletableFuture.runAsync(late::save, holderThread);
            other.request(id, session -> {
                session.setAttribute("counter", (Integer) session.getAttribute("counter") + 1);
                return null;
            });
            assertThat(other.read(id).<Integer>getAttribute("counter")).isEqualTo(1);
            proxy.heal();
            lateSave.get(30, TimeUnit.SECONDS);

            assertThat(other.read(id).<Integer>getAttribute("counter"))
                    .as("the write checked before the lock expired landed after the newer one: the window")
                    .isEqualTo(100);
            late.end();
            HeldLocks.assertNoneLeft(redis.node());
        }
    }
}
