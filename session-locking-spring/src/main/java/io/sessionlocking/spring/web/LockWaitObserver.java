package io.sessionlocking.spring.web;

import io.sessionlocking.core.SessionLock;
import java.util.function.Supplier;

/**
 * Wraps each wait for a session lock, e.g. to open a tracing span around it. Called on the request thread; the
 * supplier performs the acquisition and may throw {@link io.sessionlocking.core.LockCouldNotBeAcquiredException},
 * which the observer must let through.
 */
@FunctionalInterface
public interface LockWaitObserver {

    /** Runs nothing around the wait. */
    LockWaitObserver NONE = (maskedSessionId, acquisition) -> acquisition.get();

    SessionLock observe(String maskedSessionId, Supplier<SessionLock> acquisition);
}
