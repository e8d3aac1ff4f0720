package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockPolicy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spring Session's own repository scenarios (as its {@code RedisSessionRepositoryITests} runs them on {@code
 * RedisSessionRepository}), against the fused repository outside a request, where it must behave exactly like plain
 * Spring Session; then the same operations inside a request, where they lock. Every Redis client the repository runs
 * on extends this.
 */
abstract class AbstractLockingRedisSessionRepositoryIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    FusedSessions fixture;
    LockingRedisSessionRepository repository;

    abstract FusedSessions fixture(int port);

    @BeforeEach
    void start() {
        redis.node().flushAll();
        fixture = fixture(redis.node().port());
        repository = fixture.repository;
    }

    @AfterEach
    void stop() throws Exception {
        RequestSessionLock.restore(null);
        fixture.close();
    }

    @Test
    void aNewSessionRoundTripsWithTheDefaultMaxInactiveInterval() {
        LockingRedisSession session = repository.createSession();
        session.setAttribute("attribute1", "value1");
        repository.save(session);

        LockingRedisSession loaded = repository.findById(session.getId());
        assertThat(loaded).isNotNull();
        assertThat(loaded.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(loaded.getAttributeNames()).containsExactly("attribute1");
        assertThat(loaded.<String>getAttribute("attribute1")).isEqualTo("value1");
        assertThat(loaded.getCreationTime()).isEqualTo(session.getCreationTime().truncatedTo(ChronoUnit.MILLIS));
        assertThat(SessionHashes.ttlMillis(redis.node(), session.getId()))
                .isBetween(
                        Duration.ofMinutes(29).toMillis(),
                        Duration.ofMinutes(30).toMillis());
        assertThat(SessionHashes.lockField(redis.node(), session.getId()))
                .as("outside a request nothing is locked")
                .isNull();
    }

    @Test
    void aCustomMaxInactiveIntervalSetsTheExpiry() {
        repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(5));
        LockingRedisSession session = repository.createSession();
        repository.save(session);

        assertThat(repository.findById(session.getId()).getMaxInactiveInterval())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(SessionHashes.ttlMillis(redis.node(), session.getId()))
                .isBetween(
                        Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());
    }

    @Test
    void aNegativeMaxInactiveIntervalNeverExpires() {
        LockingRedisSession session = repository.createSession();
        session.setMaxInactiveInterval(Duration.ofSeconds(-1));
        repository.save(session);

        assertThat(SessionHashes.ttlMillis(redis.node(), session.getId())).isEqualTo(-1);
        assertThat(repository.findById(session.getId())).isNotNull();
    }

    @Test
    void aLastAccessedTimeInThePastExpiresTheSession() {
        LockingRedisSession session = repository.createSession();
        session.setLastAccessedTime(Instant.EPOCH);
        repository.save(session);

        assertThat(repository.findById(session.getId())).isNull();
    }

    @Test
    void savingADeletedSessionThrows() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        repository.deleteById(session.getId());

        session.setAttribute("attribute1", "value1");
        assertThatIllegalStateException()
                .isThrownBy(() -> repository.save(session))
                .withMessage("Session was invalidated");
        assertThat(repository.findById(session.getId())).as("not resurrected").isNull();
    }

    @Test
    void concurrentCopiesMergeTheirDeltas() {
        LockingRedisSession session = repository.createSession();
        session.setAttribute("attribute1", "value1");
        repository.save(session);
        LockingRedisSession copy1 = repository.findById(session.getId());
        LockingRedisSession copy2 = repository.findById(session.getId());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        copy1.setLastAccessedTime(now.plusSeconds(1));
        copy1.setAttribute("attribute2", "value2");
        repository.save(copy1);
        copy2.setLastAccessedTime(now.plusSeconds(2));
        copy2.setAttribute("attribute3", "value3");
        repository.save(copy2);

        LockingRedisSession loaded = repository.findById(session.getId());
        assertThat(loaded.getLastAccessedTime()).isEqualTo(now.plusSeconds(2));
        assertThat(loaded.getAttributeNames()).containsExactlyInAnyOrder("attribute1", "attribute2", "attribute3");
    }

    @Test
    void aRemovedAttributeIsGone() {
        LockingRedisSession session = repository.createSession();
        session.setAttribute("attribute1", "value1");
        session.setAttribute("attribute2", "value2");
        repository.save(session);
        LockingRedisSession loaded = repository.findById(session.getId());
        loaded.removeAttribute("attribute1");
        repository.save(loaded);

        assertThat(repository.findById(session.getId()).getAttributeNames()).containsExactly("attribute2");
        assertThat(SessionHashes.fields(redis.node(), session.getId())).doesNotContain("sessionAttr:attribute1");
    }

    @Test
    void changingTheIdAndAnAttributeMovesTheSession() {
        LockingRedisSession session = repository.createSession();
        session.setAttribute("attribute1", "value1");
        repository.save(session);
        String originalId = session.getId();
        LockingRedisSession loaded = repository.findById(originalId);
        String newId = loaded.changeSessionId();
        loaded.setAttribute("attribute1", "value2");
        repository.save(loaded);

        LockingRedisSession moved = repository.findById(newId);
        assertThat(moved.getAttributeNames()).containsExactly("attribute1");
        assertThat(moved.<String>getAttribute("attribute1")).isEqualTo("value2");
        assertThat(repository.findById(originalId)).isNull();
    }

    @Test
    void changingOnlyTheIdMovesTheSession() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        String originalId = session.getId();
        String newId = session.changeSessionId();
        repository.save(session);

        assertThat(repository.findById(newId)).isNotNull();
        assertThat(repository.findById(originalId)).isNull();
    }

    @Test
    void changingTheIdTwiceKeepsOnlyTheLast() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        String originalId = session.getId();
        String newId1 = session.changeSessionId();
        String newId2 = session.changeSessionId();
        repository.save(session);

        assertThat(repository.findById(originalId)).isNull();
        assertThat(repository.findById(newId1)).isNull();
        assertThat(repository.findById(newId2)).isNotNull();
    }

    @Test
    void changingTheIdOfANewSessionCreatesItUnderTheNewId() {
        LockingRedisSession session = repository.createSession();
        String originalId = session.getId();
        String newId = session.changeSessionId();
        repository.save(session);

        assertThat(repository.findById(newId)).isNotNull();
        assertThat(repository.findById(originalId)).isNull();
    }

    @Test
    void changingTheIdAndSavingTwiceKeepsTheNewId() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        String originalId = session.getId();
        String newId = session.changeSessionId();
        repository.save(session);
        repository.save(session);

        assertThat(repository.findById(newId)).isNotNull();
        assertThat(repository.findById(originalId)).isNull();
    }

    @Test
    void changingTheIdOfADeletedSessionThrowsAndLeavesNothing() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        String originalId = session.getId();
        repository.deleteById(originalId);
        String newId = session.changeSessionId();

        assertThatIllegalStateException()
                .isThrownBy(() -> repository.save(session))
                .withMessage("Session was invalidated");
        assertThat(repository.findById(newId)).isNull();
        assertThat(repository.findById(originalId)).isNull();
    }

    @Test
    void concurrentIdChangesLetOneWin() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        String originalId = session.getId();
        LockingRedisSession copy1 = repository.findById(originalId);
        LockingRedisSession copy2 = repository.findById(originalId);
        String newId1 = copy1.changeSessionId();
        repository.save(copy1);
        String newId2 = copy2.changeSessionId();

        assertThatIllegalStateException()
                .isThrownBy(() -> repository.save(copy2))
                .withMessage("Session was invalidated");
        assertThat(repository.findById(newId1)).isNotNull();
        assertThat(repository.findById(newId2)).isNull();
        assertThat(repository.findById(originalId)).isNull();
    }

    @Test
    void deletingTwiceOrAnUnknownIdDoesNothing() {
        LockingRedisSession session = repository.createSession();
        repository.save(session);
        repository.deleteById(session.getId());
        repository.deleteById(session.getId());
        repository.deleteById(UUID.randomUUID().toString());

        assertThat(repository.findById(session.getId())).isNull();
    }

    @Test
    void unknownAndMalformedIdsFindNothingAndCreateNothing() {
        bindRequest();
        assertThat(repository.findById(UUID.randomUUID().toString())).isNull();
        assertThat(repository.findById("{bad id}")).isNull();
        assertThat(repository.findById("")).isNull();
        assertThat(redis.node().command("DBSIZE")).isEqualTo("0");
        assertThat(fixture.listener.acquired).isEmpty();
    }

    @Test
    void inARequestALoadLocksAndTheFirstSaveWritesAndReleases() {
        LockingRedisSession created = repository.createSession();
        created.setAttribute("counter", 1);
        repository.save(created);
        String id = created.getId();
        RequestSessionLock request = bindRequest();

        LockingRedisSession loaded = repository.findById(id);
        assertThat(request.state()).isEqualTo(RequestSessionLock.State.HELD);
        assertThat(SessionHashes.lockExpiry(redis.node(), id)).isGreaterThan(System.currentTimeMillis());
        assertThat(loaded.<Integer>getAttribute("counter")).isEqualTo(1);
        assertThat(repository.findById(id))
                .as("loaded again: the same session, no wait")
                .isSameAs(loaded);

        loaded.setAttribute("counter", 2);
        repository.save(loaded);
        assertThat(request.state()).isEqualTo(RequestSessionLock.State.RELEASED);
        assertThat(SessionHashes.lockExpiry(redis.node(), id)).as("released").isZero();
        request.end();

        assertThat(repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(2);
        assertThat(fixture.listener.acquired).hasSize(1);
        assertThat(fixture.listener.released).hasSize(1);
    }

    @Test
    void inARequestAMissingSessionLeavesNoLock() {
        bindRequest();
        String id = UUID.randomUUID().toString();

        assertThat(repository.findById(id)).isNull();
        assertThat(redis.node().command("EXISTS", SessionHashes.key(id))).isEqualTo("0");
    }

    @Test
    void aSessionCreatedInARequestIsWrittenWithItsLockReleasedByThatSave() {
        RequestSessionLock request = bindRequest();
        LockingRedisSession session = repository.createSession();
        session.setAttribute("cart", "1 item");

        repository.save(session);
        assertThat(request.state()).isEqualTo(RequestSessionLock.State.RELEASED);
        assertThat(SessionHashes.lockExpiry(redis.node(), session.getId())).isZero();
        assertThat(fixture.plain.findById(session.getId()).<String>getAttribute("cart"))
                .isEqualTo("1 item");
    }

    @Test
    void deletingTheLockedSessionTakesTheLockWithIt() {
        LockingRedisSession created = repository.createSession();
        repository.save(created);
        RequestSessionLock request = bindRequest();
        LockingRedisSession loaded = repository.findById(created.getId());

        repository.deleteById(loaded.getId());
        assertThat(request.state()).isEqualTo(RequestSessionLock.State.RELEASED);
        assertThat(redis.node().command("EXISTS", SessionHashes.key(created.getId())))
                .isEqualTo("0");
        request.end();
        assertThat(fixture.listener.released).hasSize(1);
    }

    static RequestSessionLock bindRequest() {
        RequestSessionLock request = new RequestSessionLock(SessionLockPolicy.defaults(), null, "POST", "/cart", null);
        RequestSessionLock.bind(request);
        return request;
    }
}
