package io.sessionlocking.spring.web;

import io.sessionlocking.core.Abandonment;
import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SessionLockProvider.Acquisition;
import io.sessionlocking.support.SessionIds;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;

/**
 * The one owner of an HTTP request's session lock: which session the request locks, where that lock stands, and so
 * how every load and save of the request is done. A locking repository asks it one question per operation ({@link
 * #load} in {@code findById}, {@link #saveAction} in {@code save}) and only performs the answer.
 *
 * <p>States: {@link State#NOT_LOADED} until the request first loads a session; {@link State#READ_ONLY} for a request
 * that never locks (a rule said so); {@link State#WAITING} while it waits; then {@link State#HELD}, or {@link
 * State#FAILED} (the {@link OnTimeout} outcome applies to every later load), and from held {@link State#RELEASED} (by a
 * save that released it, or at the end of the request) or {@link State#LOST} (a save or renewal found it taken). A
 * request locks one session, the first it finds: another session it looks up is loaded without its lock (holding two
 * could deadlock two requests that each hold one).
 *
 * <p>Stored as a request attribute, so it lives through the request's ASYNC and ERROR dispatches, and bound to the
 * thread of the dispatch that runs now ({@link #current()}). The request owns the lock, not a thread: an async request
 * ends from whichever thread completes it.
 *
 * <p>Invariants: every state change happens under this object's monitor, and no backend call is made while holding
 * it; a lock is released at most once, since the handle itself releases once ({@link SessionLock#release()}) and only
 * the caller that moved the state away from {@code HELD} calls it.
 */
public final class RequestSessionLock {

    /** Where a request's session lock stands. */
    public enum State {
        NOT_LOADED,
        READ_ONLY,
        WAITING,
        HELD,
        FAILED,
        RELEASED,
        LOST
    }

    static final String ATTRIBUTE = RequestSessionLock.class.getName();

    private static final Log logger = LogFactory.getLog(RequestSessionLock.class);

    private static final ThreadLocal<@Nullable RequestSessionLock> CURRENT = new ThreadLocal<>();

    private final SessionLockPolicy policy;
    private final @Nullable String readOnlyReason;
    private final String method;
    private final String path;
    private final @Nullable HttpServletRequest request;

    private State state;
    /** The ids the locked session had during the request (a login changes it). */
    private final Set<String> lockedIds = new LinkedHashSet<>();

    private @Nullable Session lockedSession;
    private @Nullable SessionLock lock;
    private LockRenewer.@Nullable Renewal renewal;
    private SessionLockActivity.@Nullable Entry holding;
    private @Nullable LockCouldNotBeAcquiredException failure;
    private boolean ended;
    private boolean skipCounted;
    /** The renewal found the lock lost and no save has met that loss yet: the next save follows on-lost-lock. */
    private boolean lossUnseenBySave;
    /** With {@link #lossUnseenBySave}: the renewal presumed the loss because Redis kept failing (not that it saw it). */
    private boolean lossPresumed;
    // Identity, not equals: a session's id may change during the request (changeSessionId at login).
    private final Map<Session, ReadOnlyLoad> readOnlySessions = Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile @Nullable AsyncContext listenedAsyncContext;
    /**
     * The request's first session store failure (see {@link SessionStoreFailures}); once set it stays. Dispatches of
     * one request may race to set it (an async part): either failure will do, both say the store failed.
     */
    private volatile @Nullable SessionStoreUnavailableException storeFailure;

    /** A session loaded without its lock: how to save it, and the id it was loaded under. */
    private record ReadOnlyLoad(boolean refreshExpiry, String loadedId) {}

    /**
     * @param request the request, asked whether async processing is under way when a save could release; {@code
     *     null} outside a servlet container (tests)
     */
    public RequestSessionLock(
            SessionLockPolicy policy,
            @Nullable String readOnlyReason,
            String method,
            String path,
            @Nullable HttpServletRequest request) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.readOnlyReason = readOnlyReason;
        this.method = method;
        this.path = path;
        this.request = request;
        this.state = readOnlyReason != null ? State.READ_ONLY : State.NOT_LOADED;
    }

    /** The lock state of the request whose dispatch runs on this thread, or {@code null} outside a request. */
    public static @Nullable RequestSessionLock current() {
        return CURRENT.get();
    }

    /** Binds {@code lock} to this thread; returns what was bound before, to {@link #restore} it. */
    public static @Nullable RequestSessionLock bind(RequestSessionLock lock) {
        RequestSessionLock previous = CURRENT.get();
        CURRENT.set(lock);
        return previous;
    }

    public static void restore(@Nullable RequestSessionLock previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    public synchronized State state() {
        return state;
    }

    /** Why this request is served read-only, or {@code null} when it locks. */
    public @Nullable String readOnlyReason() {
        return readOnlyReason;
    }

    public String method() {
        return method;
    }

    /** The path within the application, without the query string. */
    public String path() {
        return path;
    }

    /** Method and path of the request (no query string), for log lines. */
    public String description() {
        return method + " " + path;
    }

    // ---------------------------------------------------------------------------------------------------- loading

    /**
     * Loads session {@code id} the way this request must: under its lock (waiting for it), again without waiting
     * when the request holds it already, or without it (a read-only request, another session, after a failure).
     *
     * @return the session, or {@code null} when it does not exist or the id is malformed (no backend call then)
     * @throws LockCouldNotBeAcquiredException when the lock could not be had and {@link OnTimeout#FAIL} applies
     */
    public <S extends Session> @Nullable S load(String id, SessionAccess<S> access) {
        if (!SessionIds.isValid(id)) {
            return null;
        }
        if (readOnlyReason != null) {
            S session = loadReadOnly(id, true, access);
            if (session != null && policy.activity() != null && firstSkip()) {
                policy.activity().skipped(readOnlyReason); // counted once per request that found a session
            }
            return session;
        }
        S locked;
        LockCouldNotBeAcquiredException failed;
        synchronized (this) {
            boolean mine = lockedIds.contains(id);
            if (mine && (state == State.HELD || state == State.RELEASED || state == State.LOST) && !ended) {
                @SuppressWarnings("unchecked")
                S session = (S) lockedSession;
                locked = session;
                failed = null;
            } else if (mine && state == State.FAILED) {
                locked = null;
                failed = failure;
            } else if (ended && mine) {
                // A dispatch after the request released its lock (an error page): no waiting, nothing saved.
                return loadReadOnly(id, false, access);
            } else if (state != State.NOT_LOADED) {
                // Another session than the request's own (Spring Security expiring a user's other sessions, an
                // admin page), or a look-up from inside our own acquisition (a stacked decorator).
                return access.loadUnlocked(id);
            } else {
                state = State.WAITING;
                lockedIds.add(id);
                locked = null;
                failed = null;
            }
        }
        if (locked != null) {
            return access.reload(id, locked);
        }
        if (failed != null) {
            // Spring loads the session again after a failure (e.g. to log the request): never wait twice.
            return withoutLock(id, failed, access);
        }
        return acquire(id, access);
    }

    private <S extends Session> @Nullable S acquire(String id, SessionAccess<S> access) {
        String masked = SessionIds.mask(id);
        SessionLockActivity activity = policy.activity();
        // What the backend granted, whatever the observers around the wait do after: a lock granted to a request
        // that then fails is released at once, instead of staying (renewed) until its TTL.
        List<Acquisition<S>> granted = new ArrayList<>(1);
        Acquisition<S> acquisition;
        try {
            SessionLockActivity.Entry waiting = activity != null ? activity.startWaiting(masked, this) : null;
            try {
                String holderInfo = holderInfo();
                acquisition = policy.waitObserver().observe(masked, () -> {
                    Acquisition<S> taken = access.lockAndLoad(id, holderInfo, this);
                    if (taken != null) {
                        granted.add(taken);
                    }
                    return taken;
                });
            } finally {
                if (waiting != null) {
                    activity.endWaiting(waiting);
                }
            }
        } catch (LockCouldNotBeAcquiredException e) {
            releaseGranted(granted);
            synchronized (this) {
                state = State.FAILED;
                failure = e;
            }
            policy.failureLog().failed(id, e, () -> failureMessage(e, id, access));
            return withoutLock(id, e, access);
        } catch (RuntimeException e) {
            releaseGranted(granted);
            synchronized (this) {
                state = State.NOT_LOADED;
                lockedIds.remove(id);
            }
            throw e;
        }
        if (acquisition == null) {
            // No such session (or it was deleted while this request waited): nothing to guard, nothing held.
            synchronized (this) {
                state = State.NOT_LOADED;
                lockedIds.remove(id);
            }
            return null;
        }
        held(masked, acquisition.lock(), acquisition.value());
        return acquisition.value();
    }

    private static void releaseGranted(List<? extends Acquisition<?>> granted) {
        for (Acquisition<?> acquisition : granted) {
            acquisition.lock().release();
        }
    }

    /**
     * What ends this request's lock wait early: its client closing the connection, as the container tells it ({@link
     * ClientConnection}); never, outside a container that tells.
     */
    public Abandonment abandonment() {
        return ClientConnection.abandonmentOf(request);
    }

    /**
     * Whether a session this request creates now can be its locked session: the request locks nothing else (holds,
     * waits for or failed on no other session) and is not read-only.
     */
    public synchronized boolean canAdopt() {
        return readOnlyReason == null
                && (state == State.NOT_LOADED || state == State.RELEASED || state == State.LOST)
                && lockedSession == null;
    }

    /**
     * Records that this request holds {@code lock} for {@code session}, which it created itself (a new session written
     * together with its lock), so that its later saves are fenced like those of a loaded one; {@code released} when
     * the write that created it released the lock already.
     */
    public void adopt(Session session, SessionLock lock, boolean released) {
        synchronized (this) {
            lockedIds.clear();
            lockedIds.add(session.getId());
        }
        held(lock.maskedSessionId(), lock, session);
        if (released) {
            lock.releaseWith((key, owner) -> Boolean.TRUE, Boolean::booleanValue); // released by that write
            releasedBySave();
        }
    }

    /**
     * The session's id change was saved (a login): {@code newLock} is now the request's lock, in the session's new
     * key, and the old key with its lock is gone; {@code released} when the write that made it released it.
     */
    public void renamed(Session session, SessionLock newLock, boolean released) {
        stopHolding(State.RELEASED);
        synchronized (this) {
            lockedIds.add(session.getId());
            lockedSession = null;
            state = State.NOT_LOADED;
        }
        adopt(session, newLock, released);
    }

    /** The holder description stored with this request's locks. */
    public String holderInfo() {
        return HolderInfo.describe(policy.nodeName(), this);
    }

    private void held(String masked, SessionLock acquired, Session session) {
        if (logger.isDebugEnabled()) {
            logger.debug("Locked session " + masked + " for " + description());
        }
        LockRenewer.Renewal started = null;
        SessionLockActivity.Entry entry = null;
        SessionLockActivity activity = policy.activity();
        try {
            if (policy.renewer() != null) {
                // Fails e.g. once the renewer shut down with the application.
                started = policy.renewer().start(acquired, loss -> lostWhileHeld(acquired, loss));
            }
            entry = activity != null ? activity.startHolding(masked, this) : null; // its observers may throw
        } catch (RuntimeException e) {
            if (started != null) {
                started.cancel();
            }
            acquired.release();
            synchronized (this) {
                state = State.NOT_LOADED;
                lockedIds.remove(session.getId());
            }
            throw e;
        }
        synchronized (this) {
            state = State.HELD;
            lock = acquired;
            lockedSession = session;
            renewal = started;
            holding = entry;
        }
    }

    /** The {@link OnTimeout} outcome of a request that could not lock session {@code id}. */
    private <S extends Session> @Nullable S withoutLock(
            String id, LockCouldNotBeAcquiredException e, SessionAccess<S> access) {
        return switch (policy.onTimeout().forFailure(e)) {
            case FAIL -> throw e;
            case READ_ONLY -> loadReadOnly(id, false, access);
            case PROCEED -> access.loadUnlocked(id);
        };
    }

    private <S extends Session> @Nullable S loadReadOnly(String id, boolean refreshExpiry, SessionAccess<S> access) {
        S session = access.loadUnlocked(id);
        if (session != null) {
            readOnlySessions.put(session, new ReadOnlyLoad(refreshExpiry, session.getId()));
        }
        return session;
    }

    private synchronized boolean firstSkip() {
        boolean first = !skipCounted;
        skipCounted = true;
        return first;
    }

    // ---------------------------------------------------------------------------------------------------- saving

    /**
     * How {@code session} is to be saved now.
     *
     * @param repositorySave {@code true} for a {@code SessionRepository.save} (Spring Session's commit at response
     *     commit, before an include, or at the end of its filter), which may release the lock; {@code false} for a
     *     repository's own immediate flush of one change, which never does
     */
    public SaveAction saveAction(Session session, boolean repositorySave) {
        String lostUnseen = null;
        boolean presumed = false;
        synchronized (this) {
            if (session == lockedSession && !ended && state == State.LOST && lossUnseenBySave) {
                lossUnseenBySave = false;
                presumed = lossPresumed;
                lostUnseen = Objects.requireNonNull(lock).maskedSessionId();
            }
        }
        if (presumed) {
            // Redis failed for a whole TTL: that is an outage, answered as one (503 backend_unavailable through the
            // repository's store-failure translation), whatever on-lost-lock says. Nothing is written.
            throw new LockStoreException("No extension of the session's lock was confirmed for a full lock TTL");
        }
        if (lostUnseen != null) {
            // The renewal found the lock lost: this save ends as a fenced save that finds it gone (no write).
            lost(lostUnseen);
            return SaveAction.DISCARD;
        }
        synchronized (this) {
            if (session == lockedSession) {
                if (ended) {
                    return SaveAction.DISCARD; // a dispatch after the end of the request neither waits nor writes
                }
                return switch (state) {
                    case HELD ->
                        repositorySave && releasesAtSave()
                                ? new SaveAction(SaveAction.Kind.WRITE_FENCED_AND_RELEASE, lock, null)
                                : new SaveAction(SaveAction.Kind.WRITE_FENCED, lock, null);
                    // Released by an earlier save of this request: a later change is fenced by the same owner, so it
                    // lands only while no other request has taken the lock since.
                    case RELEASED -> new SaveAction(SaveAction.Kind.WRITE_FENCED, lock, null);
                    default -> SaveAction.DISCARD;
                };
            }
        }
        ReadOnlyLoad readOnly = readOnlySessions.get(session);
        if (readOnly != null) {
            return readOnly.refreshExpiry()
                    ? new SaveAction(SaveAction.Kind.REFRESH_EXPIRY, null, readOnly.loadedId())
                    : SaveAction.DISCARD;
        }
        return SaveAction.UNLOCKED;
    }

    /**
     * Whether a repository save may release the lock now: unless async processing is under way and the policy holds
     * the lock through it.
     */
    public boolean releasesAtSave() {
        return request == null || !request.isAsyncStarted() || policy.async() == AsyncPolicy.RELEASE_AFTER_DISPATCH;
    }

    /** A save released the request's lock along with its write ({@link SaveAction.Kind#WRITE_FENCED_AND_RELEASE}). */
    public void releasedBySave() {
        stopHolding(State.RELEASED);
    }

    /**
     * The request deleted its locked session (logout, invalidate) with a repository whose delete removes the lock
     * together with the session: nothing is left to release, and later loads of that id find nothing.
     */
    public void deleted(String id) {
        SessionLock held = null;
        synchronized (this) {
            if (!lockedIds.remove(id)) {
                return;
            }
            lockedIds.clear();
            lockedSession = null;
        }
        held = stopHolding(State.RELEASED);
        if (held != null) {
            held.releaseWith((key, owner) -> Boolean.TRUE, Boolean::booleanValue); // gone with the session
        }
    }

    /**
     * The renewal found {@code renewed} lost while the request held it (the handle has reported the loss to the
     * listener, {@code session.lock.lost}). The request goes on, but its next save writes nothing: after an extension
     * that found the lock expired or taken it follows on-lost-lock, as a fenced save that finds the lock gone does
     * ({@link #lost}); after a {@link SessionLock.Extension#PRESUMED_LOST presumed} loss (Redis failed for a whole
     * TTL) it fails as a session store failure, 503 {@code backend_unavailable}, which is what the outage is. Logged
     * once; runs on the renewer's thread.
     */
    private void lostWhileHeld(SessionLock renewed, SessionLock.Extension loss) {
        boolean presumed = loss == SessionLock.Extension.PRESUMED_LOST;
        SessionLock held = stopHolding(State.LOST, renewed, presumed);
        if (held == null) {
            return; // released, saved or lost meanwhile: nothing left to report
        }
        logger.warn("The lock of session " + renewed.maskedSessionId() + " was lost while " + description()
                + (presumed
                        ? " held it (Redis failed: no extension was confirmed for a full lock TTL); its save will"
                                + " fail as the session store's (503 backend_unavailable)"
                        : " held it (an extension found it expired or taken); its save"
                                + (policy.onLostLock() == OnLostLock.FAIL
                                        ? " will be refused and the request fail"
                                        : " will be dropped")));
        // The handle knows the lock is lost: no backend call, only the wake-up of this JVM's next waiter.
        held.release();
    }

    /**
     * A fenced save found the lock no longer the request's: nothing was written (the lock handle has reported the
     * loss to the listener, {@code session.lock.lost}). Logged once per request.
     *
     * @throws SessionLockLostException with {@link OnLostLock#FAIL}
     */
    public void lost(String maskedSessionId) {
        boolean first;
        synchronized (this) {
            first = state != State.LOST;
            lossUnseenBySave = false; // this save meets the loss now
        }
        stopHolding(State.LOST);
        if (first) {
            logger.warn("The lock of session " + maskedSessionId + " was lost before " + description()
                    + " saved it (it expired and another request took it, or it was released by force); the write was "
                    + (policy.onLostLock() == OnLostLock.FAIL ? "refused and the request fails" : "dropped"));
        }
        if (policy.onLostLock() == OnLostLock.FAIL) {
            throw new SessionLockLostException(maskedSessionId);
        }
    }

    /** Moves from HELD to {@code next}, stops renewal and activity; returns the lock if it was held, else null. */
    private @Nullable SessionLock stopHolding(State next) {
        return stopHolding(next, null, false);
    }

    /**
     * As {@link #stopHolding(State)}; with {@code lostByRenewal}, the lock whose renewal found it lost: acts only while
     * that lock is still the held one (not a lock a login replaced), and leaves the loss for the next save to meet,
     * in the same state change, so that no save in between can miss it.
     */
    private @Nullable SessionLock stopHolding(State next, @Nullable SessionLock lostByRenewal, boolean presumed) {
        SessionLock held;
        LockRenewer.Renewal stoppedRenewal;
        SessionLockActivity.Entry stoppedHolding;
        synchronized (this) {
            if (state != State.HELD || (lostByRenewal != null && lock != lostByRenewal)) {
                if (state == State.RELEASED && next == State.LOST && lostByRenewal == null) {
                    state = State.LOST;
                }
                return null;
            }
            state = next;
            lossUnseenBySave = lostByRenewal != null;
            lossPresumed = lostByRenewal != null && presumed;
            held = lock;
            stoppedRenewal = renewal;
            stoppedHolding = holding;
            renewal = null;
            holding = null;
        }
        if (stoppedRenewal != null) {
            stoppedRenewal.cancel();
        }
        if (stoppedHolding != null && policy.activity() != null) {
            policy.activity().endHolding(stoppedHolding);
        }
        return held;
    }

    // ---------------------------------------------------------------------------------------------------- ending

    /**
     * Ends the request: releases its lock if it still holds it, and makes every later dispatch of the request load
     * without waiting and save nothing. Safe to call from any thread, any number of times.
     */
    public void end() {
        synchronized (this) {
            ended = true;
        }
        SessionLock held = stopHolding(State.RELEASED);
        if (held != null) {
            held.release();
        }
    }

    /**
     * Releases the lock at the end of the dispatch that started async processing ({@link
     * AsyncPolicy#RELEASE_AFTER_DISPATCH}), without ending the request: its later dispatches may still write, fenced.
     */
    void releaseAfterDispatch() {
        SessionLock held = stopHolding(State.RELEASED);
        if (held != null) {
            held.release();
        }
    }

    /** Whether async processing releases the lock when the dispatch that starts it ends. */
    boolean releasesAfterAsyncDispatch() {
        return policy.async() == AsyncPolicy.RELEASE_AFTER_DISPATCH;
    }

    /** Ends the request when its async processing completes, however it completes. */
    void endWhenAsyncCompletes(AsyncContext asyncContext) {
        if (listenedAsyncContext == asyncContext) {
            return;
        }
        listenedAsyncContext = asyncContext;
        asyncContext.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                end();
            }

            // Not on timeout or error: the container dispatches once more to handle them, and that dispatch may
            // still save the session; its end, or onComplete (which always follows), ends the request.
            @Override
            public void onTimeout(AsyncEvent event) {}

            @Override
            public void onError(AsyncEvent event) {}

            @Override
            public void onStartAsync(AsyncEvent event) {
                // A new async cycle drops the listeners of the last one: register again for it.
                AsyncContext restarted = event.getAsyncContext();
                if (restarted != null) {
                    listenedAsyncContext = restarted;
                    restarted.addListener(this);
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------- logging

    private String failureMessage(LockCouldNotBeAcquiredException e, String id, SessionAccess<?> access) {
        String outcome = switch (policy.onTimeout().forFailure(e)) {
            case FAIL ->
                e.reason() == LockCouldNotBeAcquiredException.Reason.ABANDONED
                        ? "its client went away, so it ends without a response"
                        : "failing the request";
            case READ_ONLY -> "serving the session read-only";
            case PROCEED -> "proceeding without the lock";
        };
        return "Could not lock session " + e.maskedSessionId() + " for " + description() + ": " + e.reason()
                + " after " + e.waited().toMillis() + " ms and " + e.attempts() + " attempt(s)" + heldBy(e, id, access)
                + "; " + outcome;
    }

    /**
     * Who held the lock, for the failure's log line: as the last attempt saw it, else looked up (best effort); never
     * the token or the session id. Only a timeout has a holder worth naming: after a backend failure the look-up would
     * wait again.
     */
    private static String heldBy(LockCouldNotBeAcquiredException e, String id, SessionAccess<?> access) {
        if (e.reason() != LockCouldNotBeAcquiredException.Reason.TIMEOUT) {
            return "";
        }
        SessionLockProvider.LockHolder holder = e.lastHolder();
        try {
            if (holder == null) {
                holder = access.currentHolder(id).orElse(null);
                if (holder == null) {
                    return "; no holder now";
                }
            }
        } catch (RuntimeException unavailable) {
            return "";
        }
        return "; held by [" + holder.holderInfo() + "], " + holder.ttl().toMillis() + " ms left";
    }

    /** The first failure of this request's session store, if any. */
    @Nullable
    SessionStoreUnavailableException storeFailure() {
        return storeFailure;
    }

    /** Records the request's first store failure; later ones keep the first. */
    void storeFailed(SessionStoreUnavailableException failure) {
        if (storeFailure == null) {
            storeFailure = failure;
        }
    }
}
