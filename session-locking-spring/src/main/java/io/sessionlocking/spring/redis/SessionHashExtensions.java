package io.sessionlocking.spring.redis;

import io.sessionlocking.support.Replies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import reactor.core.scheduler.Schedulers;

/**
 * Sends the fused lock's extensions without blocking the renewer: on Spring Data's reactive connection when the
 * connection factory has one (Lettuce, Redisson), each command routed to its key's server (its own Cluster shard), so
 * a slow shard delays only its own locks; otherwise (Jedis, whose API only blocks) on a small pool of its own threads
 * running the blocking command. Each result completes within its timeout ({@link Replies#within}). Thread-safe.
 */
abstract sealed class SessionHashExtensions implements AutoCloseable
        permits SessionHashExtensions.Reactive, SessionHashExtensions.Blocking {

    /** Threads of the blocking fallback: the renewer sends at most one extension per held lock at a time. */
    static final int BLOCKING_THREADS = 4;

    /** The reactive sender when {@code connectionFactory} is reactive, else the blocking fallback. */
    static SessionHashExtensions of(RedisConnectionFactory connectionFactory, SessionHashCommands commands) {
        return connectionFactory instanceof ReactiveRedisConnectionFactory reactive
                ? new Reactive(reactive)
                : new Blocking(commands);
    }

    /** {@code true} when extended, {@code false} when the session has no lock of {@code ownerValue}. */
    abstract CompletionStage<Boolean> extend(String key, String ownerValue, Duration ttl, Duration timeout);

    @Override
    public void close() {}

    /** On the factory's reactive connection; the template sends the script by SHA and again on NOSCRIPT. */
    static final class Reactive extends SessionHashExtensions {

        private final ReactiveRedisTemplate<byte[], byte[]> template;

        Reactive(ReactiveRedisConnectionFactory connectionFactory) {
            this.template = new ReactiveRedisTemplate<>(connectionFactory, RedisSerializationContext.byteArray());
        }

        @Override
        CompletionStage<Boolean> extend(String key, String ownerValue, Duration ttl, Duration timeout) {
            List<byte[]> keys = List.of(SessionHashCommands.utf8(key));
            List<byte[]> arguments =
                    List.of(SessionHashCommands.lockArguments(ownerValue, "extend", ttl, Duration.ZERO));
            return Replies.<Long>within(
                            () -> template.execute(SessionHashScripts.LOCK_OPERATION, keys, arguments)
                                    .next()
                                    // Subscribing fetches the factory's shared reactive connection, which connects
                                    // (blocking) on first use or after a reset: never on the renewer's thread.
                                    .subscribeOn(Schedulers.boundedElastic())
                                    .toFuture(),
                            timeout)
                    .thenApply(reply -> SessionHashCommands.status(reply) == 1);
        }
    }

    /**
     * The blocking command on a pool of its own. Its queue is unbounded, so an extension is never refused; it holds at
     * most one extension per held lock, since the renewer sends none for a lock whose last one is still pending.
     */
    static final class Blocking extends SessionHashExtensions {

        private final SessionHashCommands commands;
        private final ExecutorService executor;

        Blocking(SessionHashCommands commands) {
            this.commands = Objects.requireNonNull(commands, "commands");
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                        Thread thread = new Thread(runnable, "session-lock-extensions");
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true); // no threads while no lock is held
            this.executor = pool;
        }

        @Override
        CompletionStage<Boolean> extend(String key, String ownerValue, Duration ttl, Duration timeout) {
            return Replies.within(
                    () -> CompletableFuture.supplyAsync(() -> commands.extendLock(key, ownerValue, ttl), executor),
                    timeout);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
