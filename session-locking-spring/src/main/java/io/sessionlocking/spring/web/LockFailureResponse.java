package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes the response of a request that failed to lock its session ({@link OnTimeout#FAIL}): the configured status
 * (503 by default), a {@code Retry-After} header, and a small RFC 9457 problem body naming the reason. The body never
 * contains the session id. Immutable and thread-safe.
 */
public final class LockFailureResponse {

    private final int status;
    private final long retryAfterSeconds;

    public LockFailureResponse(int status, Duration retryAfter) {
        this.status = status;
        this.retryAfterSeconds = Math.max(retryAfter.toSeconds(), 0);
    }

    void write(HttpServletResponse response, LockCouldNotBeAcquiredException failure) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"Session busy\",\"status\":" + status
                        + ",\"detail\":\"Another request of this session holds its lock; retry shortly.\","
                        + "\"reason\":\"" + failure.reason() + "\",\"exception\":\"LockCouldNotBeAcquiredException\"}");
        response.flushBuffer();
    }
}
