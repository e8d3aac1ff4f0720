package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockPolicy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * A rolling upgrade: nodes with plain Spring Session ({@code RedisSessionRepository}) and nodes with the fused
 * repository on one Redis read and write the same sessions, in both directions, including a session in the middle of
 * a request on either side.
 */
class RollingUpgradeIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private FusedSessions fixture;
    private LockingRedisSessionRepository fused;
    private SessionRepository<Session> plain;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void start() {
        redis.node().flushAll();
        fixture = new FusedSessions(redis.node().port());
        fused = fixture.repository;
        plain = (SessionRepository<Session>) fixture.plain;
    }

    @AfterEach
    void stop() throws Exception {
        RequestSessionLock.restore(null);
        fixture.close();
    }

    @Test
    void aSessionOfAPlainNodeIsLockedReadAndWrittenByAFusedNode() {
        Session original = plain.createSession();
        original.setAttribute("a", 1);
        plain.save(original);

        RequestSessionLock request = bindRequest();
        LockingRedisSession loaded = fused.findById(original.getId());
        assertThat(loaded.<Integer>getAttribute("a")).isEqualTo(1);
        assertThat(request.state()).isEqualTo(RequestSessionLock.State.HELD);
        loaded.setAttribute("b", 2);
        fused.save(loaded);
        request.end();

        Session reread = plain.findById(original.getId());
        assertThat(reread.getAttributeNames()).containsExactlyInAnyOrder("a", "b");
        assertThat(reread.<Integer>getAttribute("b")).isEqualTo(2);
        assertThat(reread.getMaxInactiveInterval()).isEqualTo(original.getMaxInactiveInterval());
    }

    @Test
    void aSessionOfAFusedNodeIsReadAndWrittenByAPlainNode() {
        bindRequest();
        LockingRedisSession created = fused.createSession();
        created.setAttribute("a", 1);
        fused.save(created);
        RequestSessionLock.restore(null);
        assertThat(SessionHashes.lockField(redis.node(), created.getId())).isNotNull();

        Session loaded = plain.findById(created.getId());
        assertThat(loaded.getAttributeNames())
                .as("the lock field is not an attribute")
                .containsExactly("a");
        loaded.setAttribute("c", 3);
        plain.save(loaded);

        LockingRedisSession reread = fused.findById(created.getId());
        assertThat(reread.getAttributeNames()).containsExactlyInAnyOrder("a", "c");
        assertThat(SessionHashes.lockField(redis.node(), created.getId()))
                .as("the plain write kept the lock field")
                .isNotNull();
    }

    @Test
    void aPlainNodeReadsAndWritesASessionWhileAFusedNodeHoldsItsLock() {
        Session original = plain.createSession();
        plain.save(original);
        RequestSessionLock request = bindRequest();
        LockingRedisSession locked = fused.findById(original.getId());

        Session onPlainNode = plain.findById(original.getId());
        assertThat(onPlainNode).as("a plain node does not see the lock").isNotNull();
        onPlainNode.setAttribute("fromPlain", "x");
        plain.save(onPlainNode);

        locked.setAttribute("fromFused", "y");
        fused.save(locked);
        assertThat(request.state())
                .as("the plain write did not take the fused request's lock away")
                .isEqualTo(RequestSessionLock.State.RELEASED);
        request.end();

        assertThat(plain.findById(original.getId()).getAttributeNames())
                .as("both deltas merged")
                .containsExactlyInAnyOrder("fromPlain", "fromFused");
    }

    @Test
    void aFusedNodeLocksASessionThatAPlainNodeHasInTheMiddleOfARequest() {
        Session original = plain.createSession();
        plain.save(original);
        Session onPlainNode = plain.findById(original.getId());

        RequestSessionLock request = bindRequest();
        LockingRedisSession locked = fused.findById(original.getId());
        locked.setAttribute("fromFused", "y");
        fused.save(locked);
        request.end();

        onPlainNode.setAttribute("fromPlain", "x");
        plain.save(onPlainNode);

        assertThat(fused.findById(original.getId()).getAttributeNames())
                .containsExactlyInAnyOrder("fromPlain", "fromFused");
    }

    @Test
    void aPlainLoginMovesTheSessionWithItsLockAndTheFusedHolderSeesItGone() {
        Session original = plain.createSession();
        original.setAttribute("a", 1);
        plain.save(original);
        RequestSessionLock request = bindRequest();
        LockingRedisSession locked = fused.findById(original.getId());

        Session onPlainNode = plain.findById(original.getId());
        String newId = onPlainNode.changeSessionId();
        plain.save(onPlainNode); // RENAME old -> new: the lock field moves along

        locked.setAttribute("b", 2);
        assertThatIllegalStateException().isThrownBy(() -> fused.save(locked)).withMessage("Session was invalidated");
        request.end();
        RequestSessionLock.restore(null);
        assertThat(fused.findById(newId).<Integer>getAttribute("a")).isEqualTo(1);
        assertThat(fused.findById(original.getId())).isNull();
    }

    private static RequestSessionLock bindRequest() {
        RequestSessionLock request = new RequestSessionLock(SessionLockPolicy.defaults(), null, "POST", "/cart", null);
        RequestSessionLock.bind(request);
        return request;
    }
}
