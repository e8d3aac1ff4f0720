package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.core.SessionLock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The lock watchdog: while a request holds a lock, extends its TTL every {@code lockTtl / 3}, until the lock is
 * released, found lost, or has been held for {@code maxRequestTime}. A short TTL then frees the locks of crashed
 * holders quickly without expiring under slow requests; a request stuck beyond its maximum time stops being renewed
 * and loses its lock one TTL later.
 *
 * <p>One daemon thread serves every lock of the application; an extension is one Redis script of a few microseconds.
 * A failed extension (backend down) is retried at the next tick; while failing, the lock may expire. Thread-safe.
 */
public final class LockRenewer implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LockRenewer.class);

    private final ScheduledExecutorService scheduler;
    private final long periodNanos;
    private final long maxHeldNanos;

    public LockRenewer(LockSettings settings) {
        this.periodNanos =
                Math.max(settings.lockTtl().toNanos() / 3, Duration.ofMillis(1).toNanos());
        this.maxHeldNanos = settings.maxRequestTime().toNanos();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "session-lock-renewer");
            thread.setDaemon(true);
            return thread;
        });
        // A released lock's renewal leaves the queue at once, not at its next due time (a long TTL would keep
        // every finished request's handle in memory until then).
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
    }

    /** Starts renewing {@code lock}; cancel the result when the lock is released. */
    public Renewal start(SessionLock lock) {
        Renewal renewal = new Renewal(lock, System.nanoTime());
        renewal.future = scheduler.scheduleAtFixedRate(renewal, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        if (renewal.cancelled) {
            renewal.cancel(); // cancelled before the future was known: cancel it now
        }
        return renewal;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** The renewal of one lock. */
    public final class Renewal implements Runnable {

        private final SessionLock lock;
        private final long startedAtNanos;
        private volatile @Nullable ScheduledFuture<?> future;
        private volatile boolean cancelled;

        private Renewal(SessionLock lock, long startedAtNanos) {
            this.lock = lock;
            this.startedAtNanos = startedAtNanos;
        }

        @Override
        public void run() {
            if (cancelled) {
                cancel();
                return;
            }
            if (System.nanoTime() - startedAtNanos > maxHeldNanos) {
                logger.warn("Stopped renewing the lock of session " + lock.maskedSessionId()
                        + ": held longer than the maximum request time");
                cancel();
                return;
            }
            try {
                if (!lock.extend()) {
                    cancel();
                }
            } catch (LockStoreException e) {
                logger.debug("Could not extend the lock of session " + lock.maskedSessionId() + "; retrying", e);
            } catch (RuntimeException e) {
                // An exception would silently end a fixed-rate task; keep the watchdog alive instead.
                logger.warn("Unexpected failure extending the lock of session " + lock.maskedSessionId(), e);
            }
        }

        /** Stops renewing; idempotent, and safe to call before the first run. */
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
