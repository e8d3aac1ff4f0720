package io.sessionlocking.cache;

import io.sessionlocking.cache.EntryStore.Read;
import io.sessionlocking.cache.Flight.Landing;
import io.sessionlocking.cache.RegenerationException.Reason;
import io.sessionlocking.cache.RegenerationListener.StaleReason;
import io.sessionlocking.cache.RegenerationListener.Trigger;
import io.sessionlocking.cache.RegenerationListener.WaitOutcome;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.support.LockTokens;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Waits for another caller's regeneration of an entry this caller has no servable copy of. In each JVM one caller
 * per key polls Redis (the flight's leader) and the others wait on the flight; the leader is woken by the store's
 * notification, by a local fill, or every poll interval, whichever comes first, and ends the flight with the value,
 * the failure it learns of, or a timeout. If the lock holder dies, the leader's next read takes the lock itself and
 * this caller loads the value.
 *
 * <p>Every wait ends by {@code wait-timeout} after the caller's first read, plus at most one command timeout.
 */
final class Waiter<V> {

    /** Loads the value after a waiter took the lock over; ends the flight. */
    interface Takeover<V> {
        V load(byte[] key, String token, Read read, Flight flight);
    }

    private final GuardContext context;
    private final ValueCodec<V> codec;
    private final Regenerator<V> regenerator;

    Waiter(GuardContext context, ValueCodec<V> codec, Regenerator<V> regenerator) {
        this.context = context;
        this.codec = codec;
        this.regenerator = regenerator;
    }

    V await(byte[] key, Duration ttl, Loader<? extends V> loader, Read first, long startedNanos, Takeover<V> takeover) {
        long deadline = startedNanos + context.settings().waitTimeout().toNanos();
        Flights.Joined joined = context.flights().join(key);
        Polled polled;
        context.waiting().incrementAndGet();
        try {
            if (!joined.leader()) {
                return land(follow(joined.flight(), deadline), first.value(), startedNanos);
            }
            polled = poll(key, ttl, loader, first, joined.flight(), deadline);
            if (polled.takeover == null) {
                return land(polled.landing, first.value(), startedNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RegenerationException error = context.error(Reason.INTERRUPTED, "interrupted while waiting", e);
            context.flights().end(key, joined.flight(), new Landing(null, error));
            throw error;
        } catch (RuntimeException | Error e) {
            if (joined.leader()) {
                // Invariant: a leader ends its flight however it leaves, or the key's later callers would join a
                // flight that nobody polls and wait for it until their wait timeout. (A flight ends once: a second
                // end is a no-op.)
                context.flights()
                        .end(
                                key,
                                joined.flight(),
                                new Landing(null, context.error(Reason.FAILED, "the wait failed", e)));
            }
            throw e;
        } finally {
            context.waiting().decrementAndGet();
        }
        // The lock holder died or gave up: this caller holds the lock now and loads, no longer a waiter.
        return takeover.load(key, polled.token, polled.takeover, joined.flight());
    }

    /** Waits for a flight of this node alone (Redis is failing), up to the wait timeout. */
    V followLocal(Flight flight, long startedNanos) {
        long deadline = startedNanos + context.settings().waitTimeout().toNanos();
        context.waiting().incrementAndGet();
        try {
            return land(follow(flight, deadline), null, startedNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw context.error(Reason.INTERRUPTED, "interrupted while waiting", e);
        } finally {
            context.waiting().decrementAndGet();
        }
    }

    /** A leader's poll: a landing, or a read that took the lock over (with its token). */
    private record Polled(
            @Nullable Landing landing, @Nullable Read takeover, String token) {}

    private Polled poll(byte[] key, Duration ttl, Loader<? extends V> loader, Read first, Flight flight, long deadline)
            throws InterruptedException {
        long awaited = first.generation();
        byte[] copy = first.value();
        // Invariant: the watch is registered before the next read, so a fill after that read is always signalled.
        try (EntryStore.Watch watch = context.store().watch(key, flight::signal)) {
            while (!flight.isDone()) {
                String token = LockTokens.next();
                Read read = readQuietly(key, token, awaited);
                if (read != null) {
                    if (read.value() != null) {
                        copy = read.value();
                    }
                    switch (read.state()) {
                        case FRESH, STALE -> context.flights().end(key, flight, Landing.fresh(copy));
                        case REVALIDATE, REFRESH -> {
                            // Servable, and the lock was free: refresh it while the waiters take the copy.
                            regenerator.regenerateInBackground(key, token, ttl, loader, Trigger.STALE);
                            context.flights().end(key, flight, Landing.fresh(copy));
                        }
                        case LOAD -> {
                            return new Polled(null, read, token);
                        }
                        case FAILED ->
                            context.flights()
                                    .end(
                                            key,
                                            flight,
                                            new Landing(
                                                    copy,
                                                    context.error(
                                                            Reason.FAILED,
                                                            "the regeneration this caller waited for failed",
                                                            null)));
                        case WAIT, MISS -> awaited = read.generation();
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (!flight.isDone() && remaining <= 0) {
                    RegenerationException timeout = context.error(
                            Reason.TIMEOUT,
                            "no value within the wait timeout of "
                                    + context.settings().waitTimeout().toMillis() + " ms",
                            null);
                    context.flights().end(key, flight, new Landing(copy, timeout));
                }
                if (!flight.isDone()) {
                    flight.awaitSignal(
                            Math.min(context.settings().pollInterval().toNanos(), remaining));
                }
            }
        }
        Landing landing = flight.await(0);
        return new Polled(landing, null, "");
    }

    private @Nullable Read readQuietly(byte[] key, String token, long awaited) throws InterruptedException {
        try {
            return context.store()
                    .read(
                            key,
                            context.lockingRead(token, false, awaited),
                            context.settings().commandTimeout());
        } catch (LockStoreException e) {
            // Keep polling until the deadline: Redis may be back before it.
            context.listener().onBackendFailure(context.cache(), e);
            return null;
        }
    }

    private static @Nullable Landing follow(Flight flight, long deadline) throws InterruptedException {
        return flight.await(deadline - System.nanoTime());
    }

    /** The value of a landing, a stale copy instead of its error, or the error (a new instance per caller). */
    private V land(@Nullable Landing landing, byte @Nullable [] ownCopy, long startedNanos) {
        Duration waited = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (landing != null && landing.error() == null && landing.value() != null) {
            context.listener().onWaited(context.cache(), WaitOutcome.VALUE, waited);
            return codec.decode(landing.value());
        }
        RegenerationException error = landing != null && landing.error() != null
                ? landing.error()
                : context.error(
                        Reason.TIMEOUT,
                        "no value within the wait timeout of "
                                + context.settings().waitTimeout().toMillis() + " ms",
                        null);
        boolean timedOut = error.reason() == Reason.TIMEOUT;
        context.listener().onWaited(context.cache(), timedOut ? WaitOutcome.TIMEOUT : WaitOutcome.FAILED, waited);
        byte[] copy = landing != null && landing.value() != null ? landing.value() : ownCopy;
        if (copy != null) {
            context.listener().onStaleServed(context.cache(), timedOut ? StaleReason.TIMEOUT : StaleReason.ERROR);
            return codec.decode(copy);
        }
        throw error.copy();
    }
}
