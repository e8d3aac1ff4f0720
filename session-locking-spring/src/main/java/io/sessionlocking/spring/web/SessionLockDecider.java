package io.sessionlocking.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides, once per request before the session is loaded, whether the request needs the session's lock. A request
 * that does not is served read-only: it reads the session without the lock, refreshes its expiry, and never writes
 * attributes. Declare a bean of this type to add rules to the configured ones.
 */
@FunctionalInterface
public interface SessionLockDecider {

    /**
     * The reason to serve this request read-only (a short rule name for logs and metrics, e.g. {@code bot}), or
     * {@code null} to lock as usual.
     */
    @Nullable
    String readOnlyReason(HttpServletRequest request);
}
