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
     * Like {@link #awaitInterruptibly}, but an interrupt does not cut the wait short: releases, extensions and look-ups
     * run on threads that may carry an interrupt (a waiter that gave up, a container's stuck-thread handling), and
     * giving up on them would leave a lock to its TTL. The interrupt status is set again before returning.
     */
    public static <T> T await(CompletionStage<T> reply, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return awaitInterruptibly(reply, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
