package io.sessionlocking.support;

import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits for a backend reply for a bounded time and turns every failure into a {@link LockStoreException}, so that no
 * backend call can hang a thread. Shared by the Redis stores. Internal helper.
 */
public final class Replies {

    /**
     * Fails the bounded replies that have not come in time; one daemon thread for the JVM, whose task only completes a
     * future (the callbacks of that future run on it, so they must not block).
     */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private Replies() {}

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "session-lock-reply-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // A reply that came in time cancels its deadline, which then leaves the queue at once.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * The reply of a script sent by SHA without waiting for it: sent again by source once when the server does not
     * know the script ({@code NOSCRIPT}, a restarted or flushed server). The result completes with the reply, or
     * exceptionally with a {@link LockStoreException} when the command failed or no reply came within {@code timeout}
     * of this call, whichever is first. Never throws itself: a command the client refuses at once fails the result.
     */
    public static <T> CompletableFuture<T> scriptWithin(
            Supplier<? extends CompletionStage<T>> bySha,
            Supplier<? extends CompletionStage<T>> bySource,
            Duration timeout) {
        return bounded(bySha, bySource, timeout);
    }

    /**
     * The reply of {@code command}, sent without waiting for it: completes with the reply, or exceptionally with a
     * {@link LockStoreException} when the command failed or no reply came within {@code timeout} of this call. Never
     * throws itself.
     */
    public static <T> CompletableFuture<T> within(Supplier<? extends CompletionStage<T>> command, Duration timeout) {
        return bounded(command, null, timeout);
    }

    private static <T> CompletableFuture<T> bounded(
            Supplier<? extends CompletionStage<T>> command,
            @Nullable Supplier<? extends CompletionStage<T>> bySource,
            Duration timeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        // Only the first completion counts: the reply, its failure, or the deadline (completeExceptionally is a no-op
        // on a completed future), so a late reply after the deadline changes nothing.
        send(command).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (bySource != null && LockScripts.isNoScript(failure)) {
                send(bySource).whenComplete((again, failedAgain) -> complete(result, again, failedAgain));
            } else {
                complete(result, null, failure);
            }
        });
        ScheduledFuture<?> deadline = DEADLINES.schedule(
                () -> result.completeExceptionally(
                        new LockStoreException("Redis did not answer within " + timeout.toMillis() + " ms")),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        result.whenComplete((value, failure) -> deadline.cancel(false));
        return result;
    }

    private static <T> CompletionStage<T> send(Supplier<? extends CompletionStage<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    private static <T> void complete(CompletableFuture<T> result, @Nullable T value, @Nullable Throwable failure) {
        if (failure == null) {
            result.complete(value);
            return;
        }
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        result.completeExceptionally(
                cause instanceof LockStoreException backend
                        ? backend
                        : new LockStoreException("Redis command failed: " + cause.getMessage(), cause));
    }

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
