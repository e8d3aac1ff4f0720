package io.sessionlocking.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Makes {@link RegenerationGuard}s that share one {@link EntryStore}, one renewal thread, one pool of background
 * refresh threads, the listeners and the view of the loaders in flight. One per application; close it to stop its
 * threads (the store is the caller's to close).
 *
 * <pre>{@code
 * RegenerationGuards guards = RegenerationGuards.builder(store).build();
 * RegenerationGuard<String> reports = guards.guard("reports", RegenerationSettings.defaults(), ValueCodec.utf8());
 * String report = reports.get("daily", () -> computeReport());
 * }</pre>
 */
public final class RegenerationGuards implements AutoCloseable {

    /** Background refresh threads by default; stale and early refreshes beyond these queue, then run on no one. */
    public static final int DEFAULT_REFRESH_THREADS = 4;

    static final int REFRESH_QUEUE = 256;

    private final EntryStore store;
    private final RegenerationListener listener;
    private final Renewals renewals = new Renewals();
    private final InFlightRegenerations inFlight = new InFlightRegenerations();
    private final ExecutorService refreshes;
    private final boolean ownsRefreshes;

    private RegenerationGuards(Builder builder) {
        this.store = builder.store;
        this.listener = new SafeRegenerationListener(builder.listeners);
        this.ownsRefreshes = builder.refreshExecutor == null;
        this.refreshes = builder.refreshExecutor != null ? builder.refreshExecutor : refreshPool();
    }

    public static Builder builder(EntryStore store) {
        return new Builder(store);
    }

    /** A guard for the cache {@code name}; guards of one name share nothing but the name in events. */
    public <V> RegenerationGuard<V> guard(String name, RegenerationSettings settings, ValueCodec<V> codec) {
        GuardContext context = new GuardContext(
                Objects.requireNonNull(name, "name"),
                store,
                Objects.requireNonNull(settings, "settings"),
                listener,
                renewals,
                refreshes,
                inFlight,
                new Flights(),
                new AtomicInteger());
        RegenerationGuard<V> guard = new RegenerationGuard<>(context, Objects.requireNonNull(codec, "codec"));
        listener.onGuardCreated(name);
        return guard;
    }

    /** The loaders running on this node now, longest-running first. */
    public List<InFlightRegeneration> inFlight() {
        return inFlight.snapshot();
    }

    public EntryStore store() {
        return store;
    }

    /** Stops the renewal thread and, when this owns it, the refresh pool; running loads keep their lock to its TTL. */
    @Override
    public void close() {
        renewals.close();
        if (ownsRefreshes) {
            refreshes.shutdownNow();
        }
    }

    private static ExecutorService refreshPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                DEFAULT_REFRESH_THREADS,
                DEFAULT_REFRESH_THREADS,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(REFRESH_QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "session-locking-cache-refresh-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Collects the shared parts. Not thread-safe. */
    public static final class Builder {

        private final EntryStore store;
        private final List<RegenerationListener> listeners = new ArrayList<>();
        private @Nullable ExecutorService refreshExecutor;

        private Builder(EntryStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(RegenerationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Runs background refreshes on {@code executor} (which the caller shuts down) instead of a pool of {@value
         * #DEFAULT_REFRESH_THREADS} daemon threads; a rejected refresh releases its lock for the next caller.
         */
        public Builder refreshExecutor(ExecutorService executor) {
            this.refreshExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public RegenerationGuards build() {
            return new RegenerationGuards(this);
        }
    }
}
