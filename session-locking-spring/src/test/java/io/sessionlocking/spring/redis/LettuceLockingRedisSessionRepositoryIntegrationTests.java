package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.spring.web.RequestSessionLock;
import java.util.UUID;
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
    void aLogoutIsOneDelete() {
        LockingRedisSession created = repository.createSession();
        repository.save(created);
        bindRequest();
        repository.findById(created.getId());
        assertThat(fixture.commandsOf(() -> repository.deleteById(created.getId())))
                .containsExactly("DEL");
    }
}
