package io.sessionlocking.core;

import java.time.Duration;
import java.util.List;

/**
 * Receives lock events, e.g. to record metrics. Methods are called on the thread that acquires or releases (a loss
 * that an extension finds: on the thread that completes the extension, often the Redis client's I/O thread), after
 * the fact and synchronously, so they must be quick and must not block; an exception thrown by a listener is logged and
 * otherwise ignored. Event objects never contain the full session id or the lock token.
 */
public interface SessionLockListener {

    /** A listener that ignores every event. */
    SessionLockListener NONE = new SessionLockListener() {};

    /** One listener that forwards every event to each of {@code listeners}, in order. */
    static SessionLockListener composite(List<SessionLockListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> NONE;
            case 1 -> listeners.get(0);
            default -> new CompositeSessionLockListener(List.copyOf(listeners));
        };
    }

    /** A lock was acquired after waiting {@code waited} over {@code attempts} backend attempts. */
    default void onAcquired(Acquired event) {}

    /** An acquisition failed; the exception tells the reason, time waited and attempts. */
    default void onFailed(LockCouldNotBeAcquiredException exception) {}

    /** A lock was released by its holder after being held for {@code held}. */
    default void onReleased(Released event) {}

    /**
     * A holder found its lock gone: it had expired, or was deleted or taken by someone else, when the holder tried to
     * extend, release or write under it. Reported at most once per lock. A fenced write that found it gone wrote
     * nothing; an unfenced one may have overwritten newer data.
     */
    default void onLost(Lost event) {}

    /** A release could not reach the backend; the lock stays until its TTL ends. */
    default void onReleaseFailed(Released event, LockStoreException cause) {}

    /** Event of {@link #onAcquired}. */
    record Acquired(String maskedSessionId, Duration waited, int attempts) {}

    /** Event of {@link #onReleased} and {@link #onReleaseFailed}. */
    record Released(String maskedSessionId, Duration held) {}

    /** Event of {@link #onLost}: {@code during} tells which operation found the lock gone. */
    record Lost(String maskedSessionId, Duration held, Operation during) {}

    /** The holder operation that found a lock gone. */
    enum Operation {
        EXTEND,
        RELEASE,
        /** A fenced write (see {@link SessionLock#fenced}) found the lock no longer its owner's. */
        SAVE
    }
}
