package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.support.SessionIds;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Decorates a {@link SessionRepository} so that a request holds a session's lock from the first load to the end of
 * the request. The lock is taken here, on the first {@link #findById} of a request that finds the session; it is
 * released by {@link SessionLockFilter} after Spring Session's last save, never in {@link #save} (which runs up to
 * three times per request).
 *
 * <p>A request locks one session, the first it finds; other sessions it looks up are loaded without their locks
 * (holding two could deadlock two requests that each hold one).
 *
 * <p>Per request ({@link RequestLocks}): a session whose lock the request already holds is loaded again without
 * waiting, so repeated loads, several cookie ids and nested error dispatches never deadlock the request against
 * itself. Outside a request (a background job, JMX) the repository does not lock.
 *
 * <p>A read-only request (see {@link SessionLockDecider}) loads the session without the lock; its attribute changes are
 * never saved, only the session's expiry is refreshed. With {@link OnTimeout#READ_ONLY}, a request that could not get
 * the lock is served the same way, without even the refresh.
 *
 * <p>No lock for nothing: a malformed id returns {@code null} without a Redis call; an id that finds no session takes
 * no lock and leaves no key. The session is checked first and loaded again once the lock is held, so that the data
 * the request sees was written by the previous holder's last save.
 */
public class LockingSessionRepository implements SessionRepository<Session>, SessionLockingRepository {

    private static final Log logger = LogFactory.getLog(LockingSessionRepository.class);
    private final LockFailureLog failureLog = new LockFailureLog(logger);

    private final SessionRepository<Session> delegate;
    private final SessionLockProvider provider;
    private final @Nullable LockRenewer renewer;
    private final OnTimeout onTimeout;
    private final @Nullable SessionLockActivity activity;
    private final String nodeName;
    private final LockWaitObserver waitObserver;

    public LockingSessionRepository(
            SessionRepository<? extends Session> delegate,
            SessionLockProvider provider,
            @Nullable LockRenewer renewer,
            OnTimeout onTimeout) {
        this(delegate, provider, renewer, onTimeout, null, NodeNames.local(), LockWaitObserver.NONE);
    }

    /**
     * @param activity where this node's waits and holds are recorded, or {@code null}
     * @param nodeName this node's name, stored with each lock so that any node can tell who holds it
     * @param waitObserver what runs around each wait for a lock (e.g. a tracing span)
     */
    @SuppressWarnings("unchecked")
    public LockingSessionRepository(
            SessionRepository<? extends Session> delegate,
            SessionLockProvider provider,
            @Nullable LockRenewer renewer,
            OnTimeout onTimeout,
            @Nullable SessionLockActivity activity,
            String nodeName,
            LockWaitObserver waitObserver) {
        this.delegate = (SessionRepository<Session>) Objects.requireNonNull(delegate, "delegate");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.renewer = renewer;
        this.onTimeout = Objects.requireNonNull(onTimeout, "onTimeout");
        this.activity = activity;
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.waitObserver = Objects.requireNonNull(waitObserver, "waitObserver");
    }

    /** The repository this one decorates. */
    public SessionRepository<Session> getDelegate() {
        return delegate;
    }

    @Override
    public Session createSession() {
        // A new session's id is unknown to any other request until its cookie is sent: nothing to lock.
        return delegate.createSession();
    }

    @Override
    public void save(Session session) {
        RequestLocks locks = RequestLocks.current();
        RequestLocks.ReadOnlyLoad readOnly = locks == null ? null : locks.readOnlyLoad(session);
        if (readOnly == null) {
            delegate.save(session);
        } else if (readOnly.mode() == RequestLocks.ReadOnlyMode.REFRESH_EXPIRY) {
            refreshExpiry(session, readOnly.loadedId());
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
    public @Nullable Session findById(String id) {
        RequestLocks locks = RequestLocks.current();
        if (locks == null) {
            return delegate.findById(id);
        }
        if (!SessionIds.isValid(id)) {
            return null;
        }
        if (locks.readOnlyReason() != null) {
            Session session = loadReadOnly(id, locks, RequestLocks.ReadOnlyMode.REFRESH_EXPIRY);
            if (session != null && activity != null && locks.firstSkip()) {
                activity.skipped(locks.readOnlyReason()); // counted once per request that found a session
            }
            return session;
        }
        if (locks.holds(id)) {
            return delegate.findById(id);
        }
        LockCouldNotBeAcquiredException earlier = locks.failure(id);
        if (earlier != null) {
            // Spring loads the session again after a failure (e.g. to log the request): never wait twice.
            return withoutLock(id, locks, earlier);
        }
        if (locks.released(id)) {
            // A later dispatch of a request that has already released this lock (an error page after an
            // exception): it must not wait for the lock again, and what it changes is not saved.
            return loadReadOnly(id, locks, RequestLocks.ReadOnlyMode.DISCARD);
        }
        if (locks.lockedAnother(id)) {
            // A request locks one session, its own. Another session it looks up (Spring Security expiring a
            // user's other sessions, an admin page) is loaded without that session's lock: waiting for it could
            // deadlock two requests that each hold their own.
            return delegate.findById(id);
        }
        if (delegate.findById(id) == null) {
            return null;
        }
        if (locks.holds(id)) {
            // Another locking repository under this one (a decorated repository bean) took it during the check.
            return delegate.findById(id);
        }
        String masked = SessionIds.mask(id);
        SessionLock lock;
        SessionLockActivity.Entry waiting = activity != null ? activity.startWaiting(masked, locks) : null;
        try {
            String holderInfo = HolderInfo.describe(nodeName, locks);
            lock = waitObserver.observe(masked, () -> provider.acquire(id, holderInfo));
        } catch (LockCouldNotBeAcquiredException e) {
            locks.failed(id, e);
            failureLog.failed(id, e, () -> failureMessage(e, locks, id));
            return withoutLock(id, locks, e);
        } finally {
            if (waiting != null) {
                activity.endWaiting(waiting);
            }
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Locked session " + masked + " for " + locks.description());
        }
        LockRenewer.Renewal renewal;
        try {
            renewal = renewer != null ? renewer.start(lock) : null;
        } catch (RuntimeException e) { // e.g. the renewer is shut down with the application
            lock.release();
            throw e;
        }
        SessionLockActivity.Entry holding = activity != null ? activity.startHolding(masked, locks) : null;
        locks.add(id, lock, renewal, activity, holding);
        Session session = delegate.findById(id);
        if (session == null) {
            // Deleted while this request waited (a logout, an expiry): nothing left to guard.
            locks.release(id);
        }
        return session;
    }

    /** The {@link OnTimeout} outcome of a request that could not lock session {@code id}. */
    private @Nullable Session withoutLock(String id, RequestLocks locks, LockCouldNotBeAcquiredException e) {
        return switch (onTimeout.forFailure(e)) {
            case FAIL -> throw e;
            case READ_ONLY -> loadReadOnly(id, locks, RequestLocks.ReadOnlyMode.DISCARD);
            case PROCEED -> delegate.findById(id);
        };
    }

    private String failureMessage(LockCouldNotBeAcquiredException e, RequestLocks locks, String id) {
        String outcome = switch (onTimeout.forFailure(e)) {
            case FAIL -> "failing the request";
            case READ_ONLY -> "serving the session read-only";
            case PROCEED -> "proceeding without the lock";
        };
        return "Could not lock session " + e.maskedSessionId() + " for " + locks.description() + ": " + e.reason()
                + " after " + e.waited().toMillis() + " ms and " + e.attempts() + " attempt(s)"
                // Only a timeout has a holder worth naming; after a backend failure the look-up would wait again.
                + (e.reason() == LockCouldNotBeAcquiredException.Reason.TIMEOUT ? heldBy(id) : "") + "; " + outcome;
    }

    /** Who holds the lock, for the failure's log line; best effort, never the token or the session id. */
    private String heldBy(String id) {
        try {
            return provider.holder(id)
                    .map(holder -> "; held by [" + holder.holderInfo() + "], "
                            + holder.ttl().toMillis() + " ms left")
                    .orElse("; no holder now");
        } catch (RuntimeException unavailable) {
            return "";
        }
    }

    private @Nullable Session loadReadOnly(String id, RequestLocks locks, RequestLocks.ReadOnlyMode mode) {
        Session session = delegate.findById(id);
        if (session != null) {
            locks.markReadOnly(session, mode);
        }
        return session;
    }

    @Override
    public void deleteById(String id) {
        // Invalidation deletes at once; the lock stays until the request ends and is released under this id.
        delegate.deleteById(id);
    }
}
