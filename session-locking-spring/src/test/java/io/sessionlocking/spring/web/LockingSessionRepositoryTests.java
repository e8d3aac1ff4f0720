package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

/** The decorator's per-request rules, on an in-memory repository and lock store. */
class LockingSessionRepositoryTests {

    private final InMemorySessions fixture = new InMemorySessions();
    private final MapSessionRepository sessions = fixture.sessions;
    private final RecordingListener listener = fixture.listener;
    private final SpinLockProvider provider = fixture.provider;
    private final String id = fixture.store("counter", 1);

    @AfterEach
    void unbind() {
        RequestSessionLock.restore(null);
    }

    @Test
    void repeatedLoadsInOneRequestTakeTheLockOnce() {
        RequestSessionLock request = bind(null, OnTimeout.FAIL);
        LockingSessionRepository repository = repository();

        assertThat(repository.findById(id)).isNotNull();
        assertThat(repository.findById(id)).isNotNull();

        assertThat(listener.acquired).hasSize(1);
        request.end();
        assertThat(listener.released).hasSize(1);
    }

    @Test
    void unknownAndMalformedIdsTakeNoLock() {
        bind(null, OnTimeout.FAIL);
        LockingSessionRepository repository = repository();

        assertThat(repository.findById("no-such-session-id")).isNull();
        assertThat(repository.findById("{bad id}")).isNull();
        assertThat(listener.acquired).isEmpty();
    }

    @Test
    void aRequestThatFailedToLockNeverWaitsTwice() {
        SessionLock held = provider.acquire(id);
        bind(null, OnTimeout.FAIL);
        LockingSessionRepository repository = repository();

        assertThatThrownBy(() -> repository.findById(id)).isInstanceOf(LockCouldNotBeAcquiredException.class);
        assertThatThrownBy(() -> repository.findById(id)).isInstanceOf(LockCouldNotBeAcquiredException.class);

        assertThat(listener.failed).as("one wait, one failure").hasSize(1);
        held.release();
    }

    @Test
    void readOnlyOnTimeoutDiscardsEveryWrite() {
        SessionLock held = provider.acquire(id);
        bind(null, OnTimeout.READ_ONLY);
        LockingSessionRepository repository = repository();

        Session session = repository.findById(id);
        session.setAttribute("counter", 99);
        repository.save(session);

        assertThat(sessions.findById(id).<Integer>getAttribute("counter")).isEqualTo(1);
        held.release();
    }

    @Test
    void readOnlyRequestRefreshesExpiryButDropsAttributeWrites() {
        bind("bot", OnTimeout.FAIL);
        LockingSessionRepository repository = repository();
        Session session = repository.findById(id);
        java.time.Instant later = session.getLastAccessedTime().plusSeconds(60);

        session.setAttribute("counter", 99);
        session.setLastAccessedTime(later);
        repository.save(session);

        Session stored = sessions.findById(id);
        assertThat(stored.<Integer>getAttribute("counter")).isEqualTo(1);
        assertThat(stored.getLastAccessedTime()).isEqualTo(later);
        assertThat(listener.acquired).as("read-only requests take no lock").isEmpty();
    }

    @Test
    void readOnlyRefreshDoesNotResurrectASessionDeletedMeanwhile() {
        bind("bot", OnTimeout.FAIL);
        LockingSessionRepository repository = repository();
        Session session = repository.findById(id);

        sessions.deleteById(id); // a concurrent logout
        repository.save(session);

        assertThat(sessions.findById(id)).isNull();
    }

    @Test
    void readOnlyRequestThatChangesTheIdKeepsTheNewId() {
        bind("bot", OnTimeout.FAIL);
        LockingSessionRepository repository = repository();
        Session session = repository.findById(id);

        String newId = session.changeSessionId();
        repository.save(session);

        assertThat(sessions.findById(newId)).isNotNull();
    }

    @Test
    void anotherSessionLookedUpByTheRequestIsNotLocked() {
        String other = fixture.store("counter", 7);
        SessionLock heldByAnotherRequest = provider.acquire(other);
        bind(null, OnTimeout.FAIL);
        LockingSessionRepository repository = repository();

        assertThat(repository.findById(id)).isNotNull();
        assertThat(repository.findById(other))
                .as("loaded at once, not waited for")
                .isNotNull();

        assertThat(listener.acquired)
                .as("the other request's lock and this request's own")
                .hasSize(2);
        assertThat(listener.failed).isEmpty();
        heldByAnotherRequest.release();
    }

    @Test
    void stackedLockingRepositoriesLockOnceAndNeverWaitForThemselves() {
        bind(null, OnTimeout.FAIL);
        LockingSessionRepository inner = repository();
        LockingSessionRepository outer = new LockingSessionRepository(inner, provider);

        assertThat(outer.findById(id)).isNotNull();

        assertThat(listener.acquired).hasSize(1);
        assertThat(listener.failed).isEmpty();
    }

    @Test
    void aDispatchAfterTheReleaseDoesNotLockAgainAndSavesNothing() {
        RequestSessionLock request = bind(null, OnTimeout.FAIL);
        LockingSessionRepository repository = repository();
        repository.findById(id);
        request.end(); // the REQUEST dispatch ended; the container now runs an ERROR dispatch

        Session session = repository.findById(id);
        session.setAttribute("counter", 42);
        repository.save(session);

        assertThat(listener.acquired).hasSize(1);
        assertThat(sessions.findById(id).<Integer>getAttribute("counter")).isEqualTo(1);
    }

    @Test
    void outsideARequestNothingIsLocked() {
        LockingSessionRepository repository = repository();
        assertThat(repository.findById(id)).isNotNull();
        assertThat(listener.acquired).isEmpty();
    }

    private LockingSessionRepository repository() {
        return new LockingSessionRepository(sessions, provider);
    }

    private static RequestSessionLock bind(String readOnlyReason, OnTimeout onTimeout) {
        RequestSessionLock request = new RequestSessionLock(
                SessionLockPolicy.builder().onTimeout(onTimeout).build(), readOnlyReason, "POST", "/cart", null);
        RequestSessionLock.bind(request);
        return request;
    }
}
