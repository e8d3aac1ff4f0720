package io.sessionlocking.support;

import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a backend reply for a bounded time and turns every failure into a {@link LockStoreException}, so that no
 * backend call can hang a thread. Shared by the Redis stores. Internal helper.
 */
public final class Replies {

    private Replies() {}

    /**
     * The reply, waiting at most {@code timeout}.
     *
     * @throws LockStoreException when the command failed or did not answer in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static <T> T awaitInterruptibly(CompletionStage<T> reply, Duration timeout) throws InterruptedException {
        try {
            return reply.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new LockStoreException("Redis did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LockStoreException("Redis command failed: " + cause.getMessage(), cause);
        }
    }

    /**
     * Like {@link #awaitInterruptibly} for callers that cannot be interrupted: an interrupt ends the wait with a
     * {@link LockStoreException} and leaves the thread's interrupt status set.
     */
    public static <T> T await(CompletionStage<T> reply, Duration timeout) {
        try {
            return awaitInterruptibly(reply, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockStoreException("Interrupted while waiting for Redis", e);
        }
    }
}
