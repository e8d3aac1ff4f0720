package io.sessionlocking.spring.web;

import java.util.function.Supplier;

/**
 * Wraps each wait for a session lock, e.g. to open a tracing span around it. Called on the request thread; the
 * supplier performs the acquisition (and, for the fused repository, the load) and may throw {@link
 * io.sessionlocking.core.LockCouldNotBeAcquiredException}, which the observer must let through.
 */
public interface LockWaitObserver {

    /** Runs nothing around the wait. */
    LockWaitObserver NONE = new LockWaitObserver() {
        @Override
        public <T> T observe(String maskedSessionId, Supplier<T> acquisition) {
            return acquisition.get();
        }
    };

    <T> T observe(String maskedSessionId, Supplier<T> acquisition);
}
