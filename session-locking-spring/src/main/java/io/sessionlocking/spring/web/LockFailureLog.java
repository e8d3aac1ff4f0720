package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;

/**
 * The WARN lines of failed lock acquisitions, at most one per session per {@link #INTERVAL}: the first failure logs
 * at once, later ones within the interval are only counted, and the next line says how many were left out. A burst
 * on one session is one line, not one per request. A backend outage is one story, and so is a saturated node, so
 * backend failures of every session share one line per interval, and so do refusals of a saturated node; sessions beyond {@value #MAX_TRACKED} tracked at once share one too.
 *
 * <p>The message is built only when it is logged, so a failure left out costs no holder look-up. Failures at the end
 * of a burst that no later line reports stay counted in the {@code session.lock.failures} meter. Thread-safe; the
 * session id is a map key only, never logged.
 */
public final class LockFailureLog {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final int MAX_TRACKED = 1024;
    private static final String BACKEND = "backend unavailable";
    private static final String SATURATED = "node saturated";
    private static final String OVERFLOW = "other sessions";

    private final Log logger;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LockFailureLog(Log logger) {
        this(logger, System::nanoTime);
    }

    LockFailureLog(Log logger, LongSupplier nanoTime) {
        this.logger = logger;
        this.nanoTime = nanoTime;
    }

    /** Logs {@code message} at WARN unless a line for the same session was logged within the interval. */
    public void failed(String sessionId, LockCouldNotBeAcquiredException failure, Supplier<String> message) {
        if (logger.isWarnEnabled()) {
            long now = nanoTime.getAsLong();
            log(key(sessionId, failure, now), now, message);
        }
    }

    /**
     * Logs {@code message} of a failed session store (see {@link SessionStoreUnavailableException}) at WARN, in the
     * same one line per interval as the lock's own backend failures: an outage is one story.
     */
    public void storeFailed(Supplier<String> message) {
        if (logger.isWarnEnabled()) {
            log(BACKEND, nanoTime.getAsLong(), message);
        }
    }

    private void log(String key, long now, Supplier<String> message) {
        long[] leftOut = {-1};
        windows.compute(key, (k, window) -> {
            if (window == null || now - window.startNanos >= INTERVAL.toNanos()) {
                leftOut[0] = window == null ? 0 : window.leftOut;
                return new Window(now);
            }
            window.leftOut++;
            return window;
        });
        if (leftOut[0] >= 0) {
            logger.warn(message.get()
                    + (leftOut[0] > 0
                            ? " (" + leftOut[0] + " similar failure(s) not logged in the last " + INTERVAL.toSeconds()
                                    + " s)"
                            : ""));
        }
    }

    private String key(String sessionId, LockCouldNotBeAcquiredException failure, long now) {
        if (failure.reason() == LockCouldNotBeAcquiredException.Reason.BACKEND_UNAVAILABLE) {
            return BACKEND;
        }
        if (failure.reason() == LockCouldNotBeAcquiredException.Reason.NODE_SATURATED) {
            return SATURATED;
        }
        if (windows.size() >= MAX_TRACKED && !windows.containsKey(sessionId)) {
            windows.entrySet().removeIf(entry -> now - entry.getValue().startNanos >= INTERVAL.toNanos());
            if (windows.size() >= MAX_TRACKED) {
                return OVERFLOW;
            }
        }
        return sessionId;
    }

    /** One key's current interval; changed only inside {@link Map#compute}. */
    private static final class Window {
        final long startNanos;
        long leftOut;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }
}
