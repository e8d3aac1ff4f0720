package io.sessionlocking.spring.web;

import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SessionLockProvider.Acquisition;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Decorates any {@link SessionRepository} (the indexed Redis repository, JDBC, Hazelcast, a map) so that a request
 * holds its session's lock, a separate lock key, from the first load to the end of the request. What each load and
 * save does is decided by the request's {@link RequestSessionLock}; this class only performs it. Outside a request (a
 * background job, JMX) it adds nothing.
 *
 * <p>Loading: the session is checked first (a stale cookie takes no lock and leaves no key), the lock is taken, and
 * the session is loaded again so that the request sees what the previous holder saved. Saving: a save of the locked
 * session first checks that the lock is still the request's ({@link SessionLock#isHeld()}, one round trip) and writes
 * nothing when it is not ({@link OnLostLock}); the check and the delegate's write are two steps, so a lock that
 * expires between them is not caught (the fused Redis repository checks inside the write itself). The lock is
 * released by {@link SessionLockFilter} after Spring Session's last save, never here.
 *
 * <p>A failure of the delegate's store or of the lock store on the way is thrown as {@link
 * SessionStoreUnavailableException} (see {@link SessionStoreFailures}).
 *
 * <p>A read-only request loads the session without the lock; its attribute changes are never saved, only its expiry
 * is refreshed (from a fresh copy, so that a session deleted meanwhile stays deleted).
 */
public class LockingSessionRepository implements SessionRepository<Session>, SessionLockingRepository {

    private static final Log logger = LogFactory.getLog(LockingSessionRepository.class);

    private final SessionRepository<Session> delegate;
    private final SessionLockProvider provider;
    private final SessionAccess<Session> access = new DelegateAccess();

    @SuppressWarnings("unchecked")
    public LockingSessionRepository(SessionRepository<? extends Session> delegate, SessionLockProvider provider) {
        this.delegate = (SessionRepository<Session>) Objects.requireNonNull(delegate, "delegate");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** The repository this one decorates. */
    public SessionRepository<Session> getDelegate() {
        return delegate;
    }

    @Override
    public Session createSession() {
        // A new session's id is unknown to any other request until its cookie is sent: nothing to lock.
        return SessionStoreFailures.call(delegate::createSession);
    }

    @Override
    public @Nullable Session findById(String id) {
        RequestSessionLock request = RequestSessionLock.current();
        return SessionStoreFailures.call(() -> request == null ? delegate.findById(id) : request.load(id, access));
    }

    @Override
    public void save(Session session) {
        SessionStoreFailures.run(() -> saveLocked(session));
    }

    private void saveLocked(Session session) {
        RequestSessionLock request = RequestSessionLock.current();
        SaveAction action = request == null ? SaveAction.UNLOCKED : request.saveAction(session, true);
        switch (action.kind()) {
            case WRITE_FENCED, WRITE_FENCED_AND_RELEASE -> saveIfStillLocked(session, action.requireLock(), request);
            case WRITE_UNLOCKED -> delegate.save(session);
            case REFRESH_EXPIRY -> refreshExpiry(session, Objects.requireNonNull(action.loadedId()));
            case DISCARD -> {}
        }
    }

    private void saveIfStillLocked(Session session, SessionLock lock, RequestSessionLock request) {
        if (request.state() == RequestSessionLock.State.RELEASED) {
            // Released before this save (async release-after-dispatch): the lock key cannot fence the write.
            logger.debug("Dropped a save after the request released its lock");
            return;
        }
        if (lock.fenced((key, owner) -> lock.isHeld(), Boolean::booleanValue)) {
            delegate.save(session);
        } else {
            request.lost(lock.maskedSessionId());
        }
    }

    /**
     * Writes a read-only session's last-accessed time, and with it its expiry, but none of its attributes: a fresh
     * copy is loaded and saved instead of the request's own object, whose attribute changes are dropped. A session
     * whose id the request changed (a login) is saved whole, since dropping the new id would log the user out.
     */
    private void refreshExpiry(Session session, String loadedId) {
        if (!session.getId().equals(loadedId)) {
            logger.warn("A read-only request changed its session id; saving the session with its new id");
            delegate.save(session);
            return;
        }
        Session stored = delegate.findById(loadedId);
        if (stored != null) { // null: another request deleted it meanwhile (a logout), and it stays deleted
            stored.setLastAccessedTime(session.getLastAccessedTime());
            delegate.save(stored);
        }
    }

    @Override
    public void deleteById(String id) {
        // Invalidation deletes at once; the lock key stays until the request ends and is released then.
        SessionStoreFailures.run(() -> delegate.deleteById(id));
    }

    /** The delegate's side of the request's decisions. */
    private final class DelegateAccess implements SessionAccess<Session> {

        @Override
        public @Nullable Session loadUnlocked(String id) {
            return delegate.findById(id);
        }

        @Override
        public @Nullable Acquisition<Session> lockAndLoad(String id, String holderInfo, RequestSessionLock request) {
            if (delegate.findById(id) == null) {
                return null; // no lock state for a session that does not exist
            }
            SessionLock lock = provider.acquire(id, holderInfo, request.abandonment());
            Session session;
            try {
                session = delegate.findById(id);
            } catch (RuntimeException e) {
                lock.release();
                throw e;
            }
            if (session == null) {
                // Deleted while this request waited (a logout, an expiry): nothing left to guard.
                lock.release();
                return null;
            }
            return new Acquisition<>(lock, session);
        }

        @Override
        public @Nullable Session reload(String id, Session locked) {
            return delegate.findById(id);
        }

        @Override
        public Optional<SessionLockProvider.LockHolder> currentHolder(String id) {
            return provider.holder(id);
        }
    }
}
