package io.sessionlocking.spring.web;

import io.sessionlocking.core.SessionLock;
import org.jspecify.annotations.Nullable;

/**
 * How a locking repository saves one session, as {@link RequestSessionLock#saveAction} decides.
 *
 * @param kind what to do
 * @param lock the request's lock, for the fenced kinds
 * @param loadedId the id the session was loaded under, for {@link Kind#REFRESH_EXPIRY}
 */
public record SaveAction(
        Kind kind, @Nullable SessionLock lock, @Nullable String loadedId) {

    /** What a save does. */
    public enum Kind {
        /** Write only while the lock is still the request's (a fenced write), and release the lock with it. */
        WRITE_FENCED_AND_RELEASE,
        /** Write only while the lock is still the request's; keep holding it. */
        WRITE_FENCED,
        /** Write as plain Spring Session would: no lock is involved (outside a request, another session, proceed). */
        WRITE_UNLOCKED,
        /** Write the last-accessed time and expiry only (a read-only request). */
        REFRESH_EXPIRY,
        /** Write nothing. */
        DISCARD
    }

    public static final SaveAction UNLOCKED = new SaveAction(Kind.WRITE_UNLOCKED, null, null);
    public static final SaveAction DISCARD = new SaveAction(Kind.DISCARD, null, null);

    /** The lock of a fenced kind. */
    public SessionLock requireLock() {
        if (lock == null) {
            throw new IllegalStateException(kind + " has no lock");
        }
        return lock;
    }
}
