package io.sessionlocking.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One key's wait in this JVM: the callers of one node that need the same missing entry share one flight, so that
 * the node sends one stream of reads to Redis per key however many of its threads wait. The flight ends once, with
 * the value or a failure, completed by the local loader or by the flight's poller.
 *
 * <p>Invariant: {@link #end} completes the result before it signals, so a poller woken by the signal sees the flight
 * done.
 */
final class Flight {

    /**
     * How a flight ended: a value ({@code error} null), or an error with the stale-if-error copy known to the flight,
     * if any.
     */
    record Landing(byte @Nullable [] value, @Nullable RegenerationException error) {

        static Landing fresh(byte[] value) {
            return new Landing(value, null);
        }
    }

    private final CompletableFuture<Landing> result = new CompletableFuture<>();
    private final Semaphore signal = new Semaphore(0);

    /** Ends the flight; later calls are ignored (the first outcome wins). */
    void end(Landing landing) {
        result.complete(landing);
        signal.release();
    }

    /** Wakes the poller: the entry may have changed. */
    void signal() {
        signal.release();
    }

    boolean isDone() {
        return result.isDone();
    }

    /** Waits up to {@code nanos} for a signal or the end; drains the signals that piled up. */
    void awaitSignal(long nanos) throws InterruptedException {
        if (signal.tryAcquire(Math.max(nanos, 0), TimeUnit.NANOSECONDS)) {
            signal.drainPermits();
        }
    }

    /** The landing, waiting up to {@code nanos}; {@code null} when the flight has not ended by then. */
    @Nullable
    Landing await(long nanos) throws InterruptedException {
        try {
            return result.get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("flights never complete exceptionally", e);
        }
    }
}
