package io.sessionlocking.cache;

import io.sessionlocking.core.LockStoreException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog of running loaders: extends each held regeneration lock every third of its TTL, so that a slow loader
 * keeps its lock while a node that dies frees the entry one TTL later. Renewal stops at the max load time (the lock
 * then expires and the next caller regenerates) and when an extension finds the lock gone. One daemon thread for all
 * guards; an extension waits at most the command timeout. Thread-safe.
 */
final class Renewals implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Renewals.class.getName());

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "session-locking-cache-renewal");
        thread.setDaemon(true);
        return thread;
    });

    /** A renewal; {@link #cancel()} before the fill or failure, so that no extension races them. */
    interface Renewal {
        void cancel();
    }

    Renewal start(String cache, EntryStore store, byte[] key, String token, RegenerationSettings settings) {
        Duration ttl = settings.lockTtl();
        long periodNanos = Math.max(ttl.toNanos() / 3, TimeUnit.MILLISECONDS.toNanos(1));
        long stopAt = System.nanoTime() + settings.maxLoadTime().toNanos();
        Task task = new Task(cache, store, key, token, settings, stopAt);
        task.future = scheduler.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return task;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private static final class Task implements Runnable, Renewal {

        private final String cache;
        private final EntryStore store;
        private final byte[] key;
        private final String token;
        private final RegenerationSettings settings;
        private final long stopAt;
        private volatile boolean cancelled;
        volatile ScheduledFuture<?> future;

        Task(String cache, EntryStore store, byte[] key, String token, RegenerationSettings settings, long stopAt) {
            this.cache = cache;
            this.store = store;
            this.key = key;
            this.token = token;
            this.settings = settings;
            this.stopAt = stopAt;
        }

        @Override
        public void run() {
            if (cancelled) {
                stop();
                return;
            }
            if (System.nanoTime() - stopAt >= 0) {
                LOG.log(
                        Level.WARNING,
                        "Cache ''{0}'': stopped renewing a regeneration lock after the max load time of {1} ms; "
                                + "the next caller regenerates once it expires",
                        cache,
                        settings.maxLoadTime().toMillis());
                stop();
                return;
            }
            try {
                if (!store.extend(key, token, settings.lockTtl(), settings.commandTimeout()) && !cancelled) {
                    // Expired or superseded by a put or an evict: the fill will fail and say so.
                    stop();
                }
            } catch (LockStoreException e) {
                // A blip: the next period tries again, and the TTL left covers two more.
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            stop();
        }

        private void stop() {
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
