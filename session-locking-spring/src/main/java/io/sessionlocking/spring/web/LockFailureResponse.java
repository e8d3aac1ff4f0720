package io.sessionlocking.spring.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes the response of a request that failed because of its session's lock or its session store: the lock could not
 * be acquired ({@link OnTimeout#FAIL}) or was lost before the save ({@link OnLostLock#FAIL}), or the store failed
 * ({@link SessionStoreUnavailableException}). The one place that builds these responses. A {@code Retry-After} header,
 * a small RFC 9457 problem body naming the reason, and the status: 429 Too Many Requests for a request over its
 * session's waiter cap ({@code too_many_waiters}: this client sends too much at once, and only it should slow down),
 * 503 Service Unavailable for a node whose waiters are at their cap ({@code node_saturated}: the server is busy,
 * whoever asks) and for a failing backend ({@code backend_unavailable}: Redis is down or does not answer), the
 * configured status (503 by default) for every other reason. The body never contains the session id. Immutable and
 * thread-safe.
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
        int status = statusOf(reason);
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title(reason) + "\",\"status\":" + status
                + ",\"detail\":\"" + detail(reason) + "\",\"reason\":\"" + reason.toLowerCase(Locale.ROOT)
                + "\",\"exception\":\"" + exception + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // A handler's Content-Length survives resetBuffer: the client would read that many bytes of this body only.
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IllegalStateException writerInUse) {
            // The handler wrote through the writer before the failure: the body goes the same way.
            response.getWriter().write(body);
        }
        response.flushBuffer();
    }

    /** The status of a failure with {@code reason}: see the class description. */
    int statusOf(String reason) {
        return switch (reason) {
            case "TOO_MANY_WAITERS" -> 429;
            case "NODE_SATURATED", "BACKEND_UNAVAILABLE" -> 503;
            default -> status;
        };
    }

    private static String title(String reason) {
        return reason.equals("BACKEND_UNAVAILABLE") ? "Session store unavailable" : "Session busy";
    }

    private static String detail(String reason) {
        return switch (reason) {
            case "LOCK_LOST" -> "This request lost its session's lock before it could save; nothing was saved. Retry.";
            case "TOO_MANY_WAITERS" ->
                "Too many requests of this session are waiting for its lock already; send fewer at once.";
            case "NODE_SATURATED" -> "This server has too many requests waiting for session locks; retry shortly.";
            case "BACKEND_UNAVAILABLE" ->
                "The session store does not answer; this request's session changes may not be saved. Retry shortly.";
            default -> "Another request of this session holds its lock; retry shortly.";
        };
    }
}
