package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.web.HeldLocks;
import io.sessionlocking.testsupport.process.JavaProcess;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.session.Session;

/**
 * A lock holder in a JVM of its own is {@code kill -9}ed while it holds a session's lock, renewal running: nobody
 * releases the lock, so it frees itself one TTL after the holder's last renewal. The next waiter, already waiting in
 * this JVM, enters within TTL + one retry delay of the kill, and reads the holder's last acknowledged write.
 */
class HolderCrashIntegrationTests {

    static final Duration TTL = Duration.ofSeconds(1);
    static final Duration RETRY_DELAY = Duration.ofMillis(10);
    /** Scheduling on a loaded 2-core machine: the waiter's thread, the reply, the kill itself. */
    private static final Duration MARGIN = Duration.ofMillis(750);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final ExecutorService waiters = Executors.newSingleThreadExecutor();

    @BeforeEach
    void clean() {
        redis.node().flushAll();
    }

    @AfterEach
    void stop() {
        waiters.shutdownNow();
    }

    static LockSettings settings() {
        return LockSettings.builder()
                .lockTtl(TTL)
                .commandTimeout(Duration.ofMillis(600)) // renewal keeps a 1 s TTL only with at most 2/3 of it
                .retryDelay(RETRY_DELAY)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @ParameterizedTest
    @EnumSource(FaultNode.Repository.class)
    void theNextWaiterEntersWithinTtlAndOneRetryDelayOfTheKillAndReadsTheLastAcknowledgedWrite(
            FaultNode.Repository repository) throws Exception {
        try (FaultNode node = FaultNode.start(repository, redis.node().port(), settings(), Duration.ofSeconds(5))) {
            String id = node.createSession(Map.of("counter", 0));
            try (JavaProcess holder = JavaProcess.start(
                    Holder.class,
                    repository.name(),
                    Integer.toString(redis.node().port()),
                    id)) {
                holder.awaitLine("ACKED 1", Duration.ofSeconds(60));

                CompletableFuture<Long> entered = CompletableFuture.supplyAsync(
                        () -> node.request(id, session -> {
                            long at = System.nanoTime();
                            session.setAttribute("counter", (Integer) session.getAttribute("counter") + 1);
                            return at;
                        }),
                        waiters);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> node.provider().waitingCount() == 1);
                Thread.sleep(TTL.toMillis()); // renewal keeps the live holder's lock: the waiter still waits
                assertThat(entered)
                        .as("the holder's lock is renewed while it lives")
                        .isNotDone();

                long killedAt = System.nanoTime();
                holder.kill();

                Duration waited = Duration.ofNanos(entered.get(30, TimeUnit.SECONDS) - killedAt);
                System.out.println(
                        "RESULT holder-kill-entry-" + repository.name().toLowerCase() + "-ms=" + waited.toMillis()
                                + " (ttl " + TTL.toMillis() + " ms)");
                assertThat(waited)
                        .as("entered after the kill within TTL + one retry delay (+ margin)")
                        .isLessThan(TTL.plus(RETRY_DELAY).plus(MARGIN));
            }
            Session stored = node.read(id);
            assertThat(stored.<Integer>getAttribute("counter"))
                    .as("the holder's acknowledged write (1), then the waiter's increment on top of it")
                    .isEqualTo(2);
            HeldLocks.assertNoneLeft(redis.node());
        }
    }

    /**
     * The holder: takes the session's lock through the real engine and repository, writes counter = 1 under it and
     * says so once Redis acknowledged it, then holds the lock (renewed every third of the TTL) until it is killed.
     * Arguments: the repository, the Redis port, the session id.
     */
    static final class Holder {

        public static void main(String[] args) throws Exception {
            FaultNode.Repository repository = FaultNode.Repository.valueOf(args[0]);
            FaultNode node = FaultNode.start(repository, Integer.parseInt(args[1]), settings(), Duration.ofSeconds(5));
            FaultNode.Held held = node.hold(args[2]);
            held.session.setAttribute("counter", 1);
            held.writeKeepingLock();
            System.out.println("ACKED 1");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
