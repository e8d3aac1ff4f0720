package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.SessionLock;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;

/**
 * The session locks one HTTP request holds, keyed by the session id each was acquired under. Stored as a request
 * attribute, so it survives the request's ASYNC and ERROR dispatches, and bound to the thread of the dispatch that
 * runs now, so that the repository decorator can find it. The request owns the locks, not a thread: an async
 * request's locks are released from whichever thread ends it.
 *
 * <p>Invariant: a lock is released at most once. Every release path removes the entry from the map first ({@link
 * ConcurrentHashMap#remove}), and only the caller that removed it releases the lock, so the end of a dispatch and an
 * {@link AsyncListener} racing each other cannot release twice.
 */
public final class RequestLocks {

    static final String ATTRIBUTE = RequestLocks.class.getName();

    private static final Log logger = LogFactory.getLog(RequestLocks.class);

    private static final ThreadLocal<@Nullable RequestLocks> CURRENT = new ThreadLocal<>();

    private final @Nullable String readOnlyReason;
    private final String method;
    private final String path;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, LockCouldNotBeAcquiredException> failures = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean skipCounted = new AtomicBoolean();
    // Identity, not equals: a session's id may change during the request (changeSessionId at login).
    private final Map<Session, ReadOnlyLoad> readOnlySessions = Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile @Nullable AsyncContext listenedAsyncContext;

    private record Held(
            SessionLock lock,
            LockRenewer.@Nullable Renewal renewal,
            SessionLockActivity.@Nullable Entry activity,
            @Nullable SessionLockActivity activities) {}

    /** How a session this request loaded without its lock is saved. */
    enum ReadOnlyMode {
        /** Only its last-accessed time and expiry are written; attribute changes are dropped. */
        REFRESH_EXPIRY,
        /** Nothing is written. */
        DISCARD
    }

    RequestLocks(@Nullable String readOnlyReason, String method, String path) {
        this.readOnlyReason = readOnlyReason;
        this.method = method;
        this.path = path;
    }

    /** The locks of the request whose dispatch runs on this thread, or {@code null} outside a request. */
    public static @Nullable RequestLocks current() {
        return CURRENT.get();
    }

    /** Binds {@code locks} to this thread; returns what was bound before, to {@link #restore} it. */
    static @Nullable RequestLocks bind(RequestLocks locks) {
        RequestLocks previous = CURRENT.get();
        CURRENT.set(locks);
        return previous;
    }

    static void restore(@Nullable RequestLocks previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** {@code true} the first time only: a read-only request is counted as skipped once. */
    boolean firstSkip() {
        return skipCounted.compareAndSet(false, true);
    }

    /** Why this request is served read-only, or {@code null} when it locks. */
    public @Nullable String readOnlyReason() {
        return readOnlyReason;
    }

    /** Method and path of the request (no query string), for log lines. */
    public String description() {
        return method + " " + path;
    }

    public String method() {
        return method;
    }

    /** The path within the application, without the query string. */
    public String path() {
        return path;
    }

    /** Remembers that this request could not lock a session, so that later loads do not wait for it again. */
    void failed(String sessionId, LockCouldNotBeAcquiredException failure) {
        failures.put(sessionId, failure);
    }

    @Nullable
    LockCouldNotBeAcquiredException failure(String sessionId) {
        return failures.get(sessionId);
    }

    boolean holds(String sessionId) {
        return held.containsKey(sessionId);
    }

    void add(
            String sessionId,
            SessionLock lock,
            LockRenewer.@Nullable Renewal renewal,
            @Nullable SessionLockActivity activities,
            SessionLockActivity.@Nullable Entry activity) {
        held.put(sessionId, new Held(lock, renewal, activity, activities));
    }

    /** A session loaded without its lock: how to save it, and the id it was loaded under. */
    record ReadOnlyLoad(ReadOnlyMode mode, String loadedId) {}

    void markReadOnly(Session session, ReadOnlyMode mode) {
        readOnlySessions.put(session, new ReadOnlyLoad(mode, session.getId()));
    }

    @Nullable
    ReadOnlyLoad readOnlyLoad(Session session) {
        return readOnlySessions.get(session);
    }

    /** Number of locks held now. */
    public int size() {
        return held.size();
    }

    void release(String sessionId) {
        Held entry = held.remove(sessionId);
        if (entry == null) {
            return;
        }
        released.add(sessionId);
        try {
            if (entry.renewal() != null) {
                entry.renewal().cancel();
            }
            entry.lock().release();
        } finally {
            if (entry.activities() != null && entry.activity() != null) {
                entry.activities().endHolding(entry.activity());
            }
        }
    }

    /**
     * Releases every lock held now. Safe to call from any thread, any number of times; one lock failing to release
     * does not keep the others.
     */
    void releaseAll() {
        for (String sessionId : held.keySet()) {
            try {
                release(sessionId);
            } catch (RuntimeException e) {
                logger.warn("Could not release a session lock; it expires at its TTL", e);
            }
        }
    }

    /** Whether this request held the lock of {@code sessionId} and has released it already. */
    boolean released(String sessionId) {
        return released.contains(sessionId);
    }

    /** Whether this request holds or held the lock of a session other than {@code sessionId}. */
    boolean lockedAnother(String sessionId) {
        for (String id : held.keySet()) {
            if (!id.equals(sessionId)) {
                return true;
            }
        }
        for (String id : released) {
            if (!id.equals(sessionId)) {
                return true;
            }
        }
        return false;
    }

    /** Releases every lock when the request's async processing ends, however it ends. */
    void releaseWhenAsyncEnds(AsyncContext asyncContext) {
        if (listenedAsyncContext == asyncContext) {
            return;
        }
        listenedAsyncContext = asyncContext;
        asyncContext.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                releaseAll();
            }

            // Not on timeout or error: the container dispatches once more to handle them, and that dispatch may
            // still save the session; its end, or onComplete (which always follows), releases.
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
}
