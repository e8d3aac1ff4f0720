package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.web.RequestSessionLock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fused repository on Lettuce (Spring Boot's default client), counting what the client sends: one script to lock
 * and load, one to save and release, one round trip for a missing session.
 */
class LettuceLockingRedisSessionRepositoryIntegrationTests
        extends AbstractLockingRedisSessionRepositoryIntegrationTests {

    @Override
    FusedSessions fixture(int port) {
        return new FusedSessions(port, FusedSessions.testSettings());
    }

    @Test
    void oneRoundTripLocksAndLoadsAndOneSavesAndReleases() {
        LockingRedisSession created = repository.createSession();
        created.setAttribute("counter", 1);
        repository.save(created);
        RequestSessionLock request = bindRequest();

        LockingRedisSession[] loaded = new LockingRedisSession[1];
        assertThat(fixture.commandsOf(() -> loaded[0] = repository.findById(created.getId())))
                .as("lock and load")
                .containsExactly("EVALSHA");
        assertThat(fixture.commandsOf(() -> repository.findById(created.getId())))
                .as("loaded again by the same request")
                .isEmpty();
        loaded[0].setAttribute("counter", 2);
        assertThat(fixture.commandsOf(() -> repository.save(loaded[0])))
                .as("save and release")
                .containsExactly("EVALSHA");
        assertThat(fixture.commandsOf(() -> repository.save(loaded[0])))
                .as("a second save without changes")
                .isEmpty();
        assertThat(fixture.commandsOf(request::end))
                .as("nothing left to release")
                .isEmpty();
    }

    @Test
    void aMissingSessionCostsOneRoundTrip() {
        bindRequest();
        assertThat(fixture.commandsOf(
                        () -> repository.findById(UUID.randomUUID().toString())))
                .containsExactly("EVALSHA");
    }

    @Test
    void aNewSessionIsWrittenWithItsLockInOneRoundTrip() {
        bindRequest();
        LockingRedisSession session = repository.createSession();
        session.setAttribute("cart", "1 item");
        assertThat(fixture.commandsOf(() -> repository.save(session))).containsExactly("EVALSHA");
    }

    @Test
    void aLogoutIsOneScript() {
        LockingRedisSession created = repository.createSession();
        repository.save(created);
        bindRequest();
        repository.findById(created.getId());
        assertThat(fixture.commandsOf(() -> repository.deleteById(created.getId())))
                .containsExactly("EVALSHA");
    }

    @Test
    void aLogoutWakesTheWaitersOfOtherNodesAtOnce() throws Exception {
        LockSettings patient = LockSettings.builder()
                .timeout(Duration.ofSeconds(20))
                .lockTtl(Duration.ofSeconds(20))
                .build();
        try (FusedSessions nodeA = new FusedSessions(redis.node().port(), patient);
                FusedSessions nodeB = new FusedSessions(redis.node().port(), patient)) {
            LockingRedisSession created = nodeA.repository.createSession();
            nodeA.repository.save(created);
            String id = created.getId();
            RequestSessionLock holder = bindRequest();
            nodeA.repository.findById(id);

            ExecutorService otherNode = Executors.newSingleThreadExecutor();
            try {
                Future<Long> waiter = otherNode.submit(() -> {
                    RequestSessionLock request = bindRequest();
                    try {
                        LockingRedisSession found = nodeB.repository.findById(id);
                        assertThat(found).as("the session is gone").isNull();
                        return System.nanoTime();
                    } finally {
                        request.end();
                        RequestSessionLock.restore(null);
                    }
                });
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> String.valueOf(redis.node().command("HKEYS", SessionHashes.key(id)))
                                .contains("sessionLockQueue:"));

                long deletedAt = System.nanoTime();
                nodeA.repository.deleteById(id);
                holder.end();

                // Without the announcement the queued waiter would look again only at the engine's 1 s backstop.
                assertThat(Duration.ofNanos(waiter.get(15, TimeUnit.SECONDS) - deletedAt))
                        .isLessThan(Duration.ofMillis(500));
            } finally {
                otherNode.shutdownNow();
            }
        }
    }
}
