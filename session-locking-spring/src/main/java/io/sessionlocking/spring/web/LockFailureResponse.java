package io.sessionlocking.spring.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes the response of a request that failed because of its session's lock: it could not be acquired ({@link
 * OnTimeout#FAIL}) or was lost before the save ({@link OnLostLock#FAIL}). The configured status (503 by default), a
 * {@code Retry-After} header, and a small RFC 9457 problem body naming the reason. The body never contains the session
 * id. Immutable and thread-safe.
 */
public final class LockFailureResponse {

    private final int status;
    private final long retryAfterSeconds;

    public LockFailureResponse(int status, Duration retryAfter) {
        this.status = status;
        this.retryAfterSeconds = Math.max(retryAfter.toSeconds(), 0);
    }

    /**
     * @param reason the failure reason, e.g. {@code TIMEOUT} or {@code LOCK_LOST}; sent lower-case
     * @param exception the simple name of the exception behind it
     */
    void write(HttpServletResponse response, String reason, String exception) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String body = "{\"type\":\"about:blank\",\"title\":\"Session busy\",\"status\":" + status
                + ",\"detail\":\"" + detail(reason) + "\",\"reason\":\"" + reason.toLowerCase(Locale.ROOT)
                + "\",\"exception\":\"" + exception + "\"}";
        try {
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalStateException writerInUse) {
            // The handler wrote through the writer before the failure: the body goes the same way.
            response.getWriter().write(body);
        }
        response.flushBuffer();
    }

    private static String detail(String reason) {
        return "LOCK_LOST".equals(reason)
                ? "This request lost its session's lock before it could save; nothing was saved. Retry."
                : "Another request of this session holds its lock; retry shortly.";
    }
}
