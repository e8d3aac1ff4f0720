package io.sessionlocking.cache;

import io.sessionlocking.cache.EntryStore.Read;
import io.sessionlocking.cache.Flight.Landing;
import io.sessionlocking.cache.RegenerationException.Reason;
import io.sessionlocking.cache.RegenerationListener.Hit;
import io.sessionlocking.cache.RegenerationListener.StaleReason;
import io.sessionlocking.cache.RegenerationListener.Trigger;
import io.sessionlocking.cache.RegenerationSettings.OnBackendFailure;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.support.LockTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Single-flight regeneration of cache entries across all nodes: {@link #get(String, Loader)} returns the cached value,
 * and when there is none exactly one caller, on any node, runs the loader while the others wait for its value or get
 * a stale copy at once. Made by {@link RegenerationGuards#guard}.
 *
 * <h2>What a {@code get} does</h2>
 *
 * One atomic read of the entry decides (the check and the lock are one script, so two callers can never both find
 * the entry missing and both take the lock, the race behind Magento's hours-long stampedes):
 *
 * <ul>
 *   <li><b>fresh</b>: the value. With early refresh on, the XFetch draw may instead take the lock of a fresh entry:
 *       the caller still gets the value at once and a background thread regenerates it.
 *   <li><b>stale within stale-while-revalidate</b>: the stale copy at once; the first such caller also takes the lock
 *       and regenerates in the background (or on its own thread with {@code backgroundRefresh} off).
 *   <li><b>missing</b> (or staler): the first caller takes the lock and runs the loader on its thread; every other
 *       caller waits for the value, woken when it lands, up to {@code waitTimeout}.
 * </ul>
 *
 * <h2>Under concurrency, failure and timeout</h2>
 *
 * <ul>
 *   <li>At most one loader per key runs at a time across all nodes while the lock holds: the lock has an owner
 *       token, a TTL, renewal every third of it up to {@code maxLoadTime}, and a token-checked fill. A node that dies
 *       while loading frees the key one lock TTL later; the next waiting caller then takes it over.
 *   <li>The loader's exception is rethrown to the caller that ran it. The callers waiting for it are released at
 *       once with {@link RegenerationException} (reason {@code FAILED}) or, within {@code staleIfError}, the stale
 *       copy; nothing failed is remembered beyond them, so the next caller retries.
 *   <li>A wait that reaches {@code waitTimeout} ends with the stale-if-error copy or {@code RegenerationException}
 *       (reason {@code TIMEOUT}).
 *   <li>When Redis fails or does not answer within {@code commandTimeout}: with {@code onBackendFailure=LOAD} (the
 *       default) the caller runs the loader itself, one caller per key per JVM, and nothing is stored; with {@code
 *       FAIL} it gets {@code RegenerationException} (reason {@code BACKEND_UNAVAILABLE}). No call ever waits longer
 *       than about {@code waitTimeout} plus one command timeout.
 *   <li>A {@link #put} or {@link #evict} during a regeneration supersedes it: its value is returned to its caller but
 *       not stored (as memcache leases do), so an invalidation is never overwritten by a load that began before it.
 * </ul>
 *
 * Values are never {@code null}. Thread-safe.
 */
public final class RegenerationGuard<V> {

    private final GuardContext context;
    private final ValueCodec<V> codec;
    private final Regenerator<V> regenerator;
    private final Waiter<V> waiter;

    RegenerationGuard(GuardContext context, ValueCodec<V> codec) {
        this.context = context;
        this.codec = codec;
        this.regenerator = new Regenerator<>(context, codec);
        this.waiter = new Waiter<>(context, codec, regenerator);
    }

    /** The cache's name, as in events and metrics. */
    public String name() {
        return context.cache();
    }

    public RegenerationSettings settings() {
        return context.settings();
    }

    /** Callers of this guard waiting for another caller's regeneration on this node now. */
    public int waitingCount() {
        return context.waiting().get();
    }

    /** The value of {@code key} (stored under its UTF-8 bytes), loading it with the guard's TTL if needed. */
    public V get(String key, Loader<? extends V> loader) {
        return get(utf8(key), context.settings().ttl(), loader);
    }

    /** The value of {@code key}, loading it if needed; a value loaded now is fresh for {@code ttl} (zero: forever). */
    public V get(byte[] key, Duration ttl, Loader<? extends V> loader) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(loader, "loader");
        long started = System.nanoTime();
        String token = LockTokens.next();
        Read read;
        try {
            read = context.store()
                    .read(
                            key,
                            context.lockingRead(token, true, 0),
                            context.settings().commandTimeout());
        } catch (LockStoreException e) {
            return backendFailed(key, loader, e, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw context.error(Reason.INTERRUPTED, "interrupted while reading", e);
        }
        return switch (read.state()) {
            case FRESH -> hit(read, Hit.FRESH);
            case STALE -> {
                context.listener().onStaleServed(context.cache(), StaleReason.REVALIDATING);
                yield hit(read, Hit.STALE);
            }
            case REFRESH -> refreshAside(key, token, ttl, loader, read, Trigger.EARLY);
            case REVALIDATE -> {
                context.listener().onStaleServed(context.cache(), StaleReason.REVALIDATING);
                yield refreshAside(key, token, ttl, loader, read, Trigger.STALE);
            }
            case LOAD ->
                loadHere(
                        key,
                        token,
                        ttl,
                        loader,
                        read,
                        context.flights().join(key).flight());
            case WAIT ->
                waiter.await(key, ttl, loader, read, started, (k, t, r, f) -> loadHere(k, t, ttl, loader, r, f));
            case FAILED, MISS -> throw new IllegalStateException("A locking read replied " + read.state());
        };
    }

    /** The value of {@code key} if it is fresh, else {@code null}; never loads, never takes a lock. */
    public @Nullable V getIfFresh(byte[] key) {
        try {
            Read read =
                    context.store().read(key, context.peek(), context.settings().commandTimeout());
            return read.state() == EntryStore.State.FRESH ? decode(read.value()) : null;
        } catch (LockStoreException e) {
            return degrade(e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw context.error(Reason.INTERRUPTED, "interrupted while reading", e);
        }
    }

    /** Stores {@code value} as fresh for {@code ttl}, superseding a running regeneration of the key. */
    public void put(byte[] key, V value, Duration ttl) {
        byte[] bytes = codec.encode(Objects.requireNonNull(value, "value"));
        try {
            context.store()
                    .put(key, bytes, context.expiry(ttl), context.settings().commandTimeout());
        } catch (LockStoreException e) {
            degrade(e, null);
        } finally {
            context.flights().signal(key);
        }
    }

    /** Stores {@code value} unless a fresh value is there, which is returned instead; {@code null} when stored. */
    public @Nullable V putIfAbsent(byte[] key, V value, Duration ttl) {
        byte[] bytes = codec.encode(Objects.requireNonNull(value, "value"));
        try {
            byte[] present = context.store()
                    .putIfAbsent(
                            key, bytes, context.expiry(ttl), context.settings().commandTimeout());
            return present != null ? codec.decode(present) : null;
        } catch (LockStoreException e) {
            return degrade(e, null);
        }
    }

    /**
     * Keeps the value but makes it stale now, as a soft purge: the next caller regenerates it while, within
     * stale-while-revalidate, the others keep getting this copy. {@code false} when there is no value.
     *
     * @throws RegenerationException (reason {@code BACKEND_UNAVAILABLE}) when Redis fails: an invalidation is never
     *     silently dropped
     */
    public boolean markStale(byte[] key) {
        try {
            return context.store()
                    .markStale(
                            key,
                            context.expiry(Duration.ZERO),
                            context.settings().commandTimeout());
        } catch (LockStoreException e) {
            throw unavailable(e);
        }
    }

    /**
     * Deletes the entry; a regeneration running now is not stored.
     *
     * @throws RegenerationException (reason {@code BACKEND_UNAVAILABLE}) when Redis fails
     */
    public boolean evict(byte[] key) {
        try {
            return context.store().evict(key, context.settings().commandTimeout());
        } catch (LockStoreException e) {
            throw unavailable(e);
        }
    }

    private V hit(Read read, Hit hit) {
        context.listener().onHit(context.cache(), hit);
        return decode(read.value());
    }

    /** A fresh or servable stale copy, with the lock: regenerate aside and return the copy. */
    private V refreshAside(byte[] key, String token, Duration ttl, Loader<? extends V> loader, Read read, Trigger why) {
        Hit hit = why == Trigger.EARLY ? Hit.FRESH : Hit.STALE;
        if (context.settings().backgroundRefresh()) {
            regenerator.regenerateInBackground(key, token, ttl, loader, why);
            return hit(read, hit);
        }
        context.listener().onHit(context.cache(), hit);
        try {
            return regenerator.regenerate(key, token, ttl, loader, why).value();
        } catch (Regenerator.LoaderFailure e) {
            return decode(read.value());
        }
    }

    /** No servable copy, and the lock: load on this thread and end the node's flight for the key. */
    private V loadHere(byte[] key, String token, Duration ttl, Loader<? extends V> loader, Read read, Flight flight) {
        try {
            Regenerator.Loaded<V> loaded = regenerator.regenerate(key, token, ttl, loader, Trigger.MISS);
            context.flights().end(key, flight, Landing.fresh(loaded.bytes()));
            return loaded.value();
        } catch (Regenerator.LoaderFailure failure) {
            Throwable cause = failure.getCause();
            byte[] copy = read.value();
            RegenerationException error = context.error(Reason.FAILED, "the regeneration failed on this node", cause);
            context.flights().end(key, flight, new Landing(copy, error));
            if (copy != null) {
                context.listener().onStaleServed(context.cache(), StaleReason.ERROR);
                return codec.decode(copy);
            }
            throw rethrow(cause);
        } catch (RuntimeException | Error e) {
            // Whatever went wrong (a store failure the regeneration did not expect, a shut-down renewer), the flight
            // ends: the node's waiters take the copy or the error instead of waiting on it until their timeout.
            context.flights()
                    .end(
                            key,
                            flight,
                            new Landing(read.value(), context.error(Reason.FAILED, "the regeneration failed", e)));
            throw e;
        }
    }

    private V backendFailed(byte[] key, Loader<? extends V> loader, LockStoreException e, long started) {
        context.listener().onBackendFailure(context.cache(), e);
        if (context.settings().onBackendFailure() == OnBackendFailure.FAIL) {
            throw unavailable(e);
        }
        // Redis is out of the picture: one load per key in this JVM, the others wait for it here.
        Flights.Joined joined = context.flights().join(key);
        if (!joined.leader()) {
            return waiter.followLocal(joined.flight(), started);
        }
        try {
            V value = Objects.requireNonNull(loader.load(), "the loader returned null");
            context.flights().end(key, joined.flight(), Landing.fresh(codec.encode(value)));
            return value;
        } catch (Throwable t) {
            RegenerationException error = context.error(Reason.FAILED, "the load failed on this node", t);
            context.flights().end(key, joined.flight(), new Landing(null, error));
            throw rethrow(t);
        }
    }

    private <T> T degrade(LockStoreException e, T fallback) {
        context.listener().onBackendFailure(context.cache(), e);
        if (context.settings().onBackendFailure() == OnBackendFailure.FAIL) {
            throw unavailable(e);
        }
        return fallback;
    }

    private RegenerationException unavailable(LockStoreException e) {
        return context.error(Reason.BACKEND_UNAVAILABLE, "Redis failed: " + e.getMessage(), e);
    }

    private V decode(byte @Nullable [] bytes) {
        return codec.decode(Objects.requireNonNull(bytes, "the store replied without a value"));
    }

    /** The loader's exception as thrown: unchecked as is, a checked one wrapped (reason {@code FAILED}). */
    private RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return context.error(
                Reason.FAILED, "the loader threw " + cause.getClass().getName(), cause);
    }

    private static byte[] utf8(String key) {
        return Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    }
}
