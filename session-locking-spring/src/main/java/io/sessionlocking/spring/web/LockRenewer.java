package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.SessionLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The lock watchdog: while a request holds a lock, extends its TTL every {@code lockTtl / 3}, until the lock is
 * released, found lost, or has been held for {@code maxRequestTime}. A short TTL then frees the locks of crashed
 * holders quickly without expiring under slow requests; a request stuck beyond its maximum time stops being renewed
 * and loses its lock one TTL later.
 *
 * <p>One daemon thread serves every lock of the application, and it never waits for Redis: each tick sends the
 * extensions that are due ({@link SessionLock#extend()}, asynchronous) and goes on, so a slow Redis, or a slow Cluster
 * shard, delays the replies of its own locks only, not the extension of the others. A lock whose last extension has
 * not been answered yet is skipped at its tick ({@link #skippedExtensions()}, the meter {@code
 * session.lock.renewals.skipped}) instead of sending a second one behind
 * it. A failed extension (backend error or time-out) is retried at the next tick; one that finds the lock gone, or a
 * failing streak with no extension confirmed for a full TTL, ends the renewal and tells the lock's owner ({@code
 * onLost}, with {@link SessionLock.Extension#LOST} or {@link SessionLock.Extension#PRESUMED_LOST}); one that finds
 * the handle released (a save released it while the extension was under way) ends it quietly.
 *
 * <p>Needs {@code lockTtl >= 1.5 x commandTimeout} ({@link LockSettings#requireRenewable()}): an extension sent a third
 * into the TTL must be answered before the TTL runs out. Thread-safe.
 */
public final class LockRenewer implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LockRenewer.class);

    private final ScheduledExecutorService scheduler;
    private final long periodNanos;
    private final long maxHeldNanos;
    private final LongAdder skipped = new LongAdder();

    /**
     * @throws io.sessionlocking.core.InvalidLockSettingsException when the TTL is too short for renewal to keep it
     *     with the command timeout
     */
    public LockRenewer(LockSettings settings) {
        settings.requireRenewable();
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

    /**
     * Starts renewing {@code lock}; cancel the result when the lock is released. {@code onLost} runs once, on the
     * renewer's thread, with {@link SessionLock.Extension#LOST} or {@link SessionLock.Extension#PRESUMED_LOST} when an
     * extension finds the lock lost (see {@link SessionLock#extend()}); never for a released handle, nor after {@link
     * Renewal#cancel()}.
     */
    public Renewal start(SessionLock lock, Consumer<SessionLock.Extension> onLost) {
        Renewal renewal = new Renewal(lock, Objects.requireNonNull(onLost, "onLost"), System.nanoTime());
        renewal.future = scheduler.scheduleAtFixedRate(renewal, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        if (renewal.cancelled) {
            renewal.cancel(); // cancelled before the future was known: cancel it now
        }
        return renewal;
    }

    /** Ticks that found the lock's previous extension still unanswered and sent none, since this renewer started. */
    public long skippedExtensions() {
        return skipped.sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** The renewal of one lock. */
    public final class Renewal implements Runnable {

        private final SessionLock lock;
        private final Consumer<SessionLock.Extension> onLost;
        private final long startedAtNanos;
        /**
         * Set by the tick that sends an extension, cleared only when that extension's result completes (within the
         * command timeout): at most one extension per lock is in flight, so a slow Redis never has more extensions
         * queued than there are held locks, and a skipped tick sends nothing (it is not made up for later: the next
         * tick after the reply sends the next extension).
         */
        private final AtomicBoolean inFlight = new AtomicBoolean();

        private volatile @Nullable ScheduledFuture<?> future;
        private volatile boolean cancelled;

        private Renewal(SessionLock lock, Consumer<SessionLock.Extension> onLost, long startedAtNanos) {
            this.lock = lock;
            this.onLost = onLost;
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
            if (!inFlight.compareAndSet(false, true)) {
                skipped.increment();
                return;
            }
            CompletionStage<SessionLock.Extension> extension;
            try {
                extension = lock.extend();
            } catch (RuntimeException e) {
                // An exception would silently end a fixed-rate task; keep the watchdog alive instead.
                inFlight.set(false);
                logger.warn("Unexpected failure extending the lock of session " + lock.maskedSessionId(), e);
                return;
            }
            // The outcome is handled on this renewer's thread, not on the client's I/O thread that completes it (once
            // the renewer has closed with the application, nothing handles it, and nothing needs to).
            extension.whenCompleteAsync(this::completed, scheduler);
        }

        private void completed(SessionLock.@Nullable Extension extension, @Nullable Throwable failure) {
            inFlight.set(false);
            if (failure != null) {
                if (logger.isDebugEnabled()) {
                    logger.debug("Could not extend the lock of session " + lock.maskedSessionId() + "; retrying: "
                            + failure.getMessage());
                }
                return;
            }
            if (extension == SessionLock.Extension.RELEASED) {
                cancel(); // released meanwhile: nothing left to renew, and nothing was lost
            } else if (extension != SessionLock.Extension.EXTENDED && !cancelled) {
                cancel();
                onLost.accept(extension);
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
