package io.sessionlocking.cache;

import io.sessionlocking.cache.RegenerationListener.Outcome;
import io.sessionlocking.cache.RegenerationListener.Trigger;
import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one loader under a held regeneration lock: renews the lock while the loader runs, then stores the value with
 * a token-checked fill, or records the failure so that the callers waiting for it are released at once. Every path
 * gives the lock back (fill, fail or release) or leaves it to its TTL when Redis cannot be reached.
 */
final class Regenerator<V> {

    /** A loaded value and its encoding. */
    record Loaded<V>(V value, byte[] bytes) {}

    /** The loader threw {@link #getCause()}; the lock has been given back. */
    static final class LoaderFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoaderFailure(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    private final GuardContext context;
    private final ValueCodec<V> codec;

    Regenerator(GuardContext context, ValueCodec<V> codec) {
        this.context = context;
        this.codec = codec;
    }

    /**
     * Runs the loader on this thread while {@code token} holds the lock of {@code key}.
     *
     * @throws LoaderFailure when the loader (or the encoding of its value) threw
     */
    Loaded<V> regenerate(byte[] key, String token, Duration ttl, Loader<? extends V> loader, Trigger trigger)
            throws LoaderFailure {
        InFlightRegenerations.Running running = context.inFlight().start(context.cache(), key, trigger);
        Renewals.Renewal renewal =
                context.renewals().start(context.cache(), context.store(), key, token, context.settings());
        long started = System.nanoTime();
        V value;
        byte[] bytes;
        try {
            value = Objects.requireNonNull(loader.load(), "the loader returned null");
            bytes = codec.encode(value);
        } catch (Throwable t) {
            // Invariant: the renewal stops before the lock is given back, so no extension follows the failure.
            renewal.cancel();
            running.end();
            Duration took = since(started);
            giveBack(key, () -> context.store().fail(key, token, commandTimeout()));
            context.listener().onRegenerated(context.cache(), trigger, Outcome.FAILURE, took);
            throw new LoaderFailure(t);
        }
        renewal.cancel();
        running.end();
        Duration took = since(started);
        boolean stored = giveBack(
                key, () -> context.store().fill(key, token, bytes, context.expiry(ttl), took, commandTimeout()));
        context.listener().onRegenerated(context.cache(), trigger, stored ? Outcome.SUCCESS : Outcome.LOST, took);
        return new Loaded<>(value, bytes);
    }

    /**
     * Runs the regeneration on the refresh pool while the caller returns the copy it has; when the pool is full the
     * lock is released at once so that the next caller can try.
     */
    void regenerateInBackground(byte[] key, String token, Duration ttl, Loader<? extends V> loader, Trigger trigger) {
        try {
            context.refreshes().execute(() -> {
                try {
                    regenerate(key, token, ttl, loader, trigger);
                } catch (LoaderFailure e) {
                    // Counted by regenerate; the copy stays and the next caller after it tries again.
                }
            });
        } catch (RejectedExecutionException e) {
            release(key, token);
        }
    }

    /** Gives the lock back without a value. */
    void release(byte[] key, String token) {
        giveBack(key, () -> context.store().release(key, token, commandTimeout()));
    }

    private interface Command {
        boolean run();
    }

    /** Runs a fill, failure or release, then wakes this node's waiters of the key without waiting for pub/sub. */
    private boolean giveBack(byte[] key, Command command) {
        try {
            return command.run();
        } catch (LockStoreException e) {
            // The lock expires by its TTL; waiters take over then.
            context.listener().onBackendFailure(context.cache(), e);
            return false;
        } finally {
            context.flights().signal(key);
        }
    }

    private Duration commandTimeout() {
        return context.settings().commandTimeout();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
