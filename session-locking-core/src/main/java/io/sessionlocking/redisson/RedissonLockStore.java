package io.sessionlocking.redisson;

import static io.sessionlocking.support.Replies.await;
import static io.sessionlocking.support.Replies.awaitInterruptibly;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.support.LockKeys;
import io.sessionlocking.support.LockReplies;
import io.sessionlocking.support.LockScripts;
import io.sessionlocking.support.Replies;
import io.sessionlocking.support.StoredLocks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A {@link LockStore} on a {@link RedissonClient}, for applications that already run one.
 *
 * <h2>Why not {@code RLock}</h2>
 *
 * Redisson's {@code RLock} is owned by a thread ({@code <client-id>:<thread-id>}) and re-entrant per thread, while a
 * session lock is owned by a request that may finish on another thread (async requests), and its waiters are woken
 * through pub/sub, whose subscription limits and races are the most reported Redisson lock problems. So this store
 * uses Redisson as a Redis client only: the same {@code SET key token NX PX ttl} and the same Lua scripts as the
 * Lettuce store ({@link LockScripts}), so both stores guard a key identically and the engine's waiting applies.
 *
 * <h2>Storage details</h2>
 *
 * The same as {@link io.sessionlocking.redis.LettuceLockStore}: the lock is a list with the holder first and its queue
 * behind it, with the holder's TTL, handled by the same scripts ({@link LockScripts}); {@code LINDEX key 0} tells the
 * holder, and the waiter counts next to it ({@link LockKeys#waitersKey}) that make the per-session waiter cap count
 * across nodes, recorded and summed by the acquire script as with Lettuce. Scripts run by SHA, routed to the key's
 * node, with one {@code EVAL} on {@code NOSCRIPT}. This store has no hand-off announcements: its waiters poll (a
 * release still hands the lock to a waiter that another node's store queued).
 *
 * <p>Each call waits at most its {@code timeout}; an extension does not wait (its result completes within its
 * timeout), and Redisson routes it to its key's node, so a slow Cluster shard delays only its own locks. Redisson may send the commands of one caller on different pooled
 * connections, so the clean-up sent behind a timed-out acquire is not ordered after it as with Lettuce; a late
 * {@code SET} is then bounded by its TTL.
 */
public final class RedissonLockStore implements LockStore {

    private static final Long ONE = 1L;

    private final RedissonClient client;
    private final RScript script;

    public RedissonLockStore(RedissonClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.script = client.getScript(StringCodec.INSTANCE);
    }

    @Override
    public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
        String key = request.key();
        List<Object> keys = List.of(key, LockKeys.waitersKey(key));
        Object[] args = {
            request.ownerValue(),
            Long.toString(request.ttl().toMillis()),
            LockScripts.mode(request.queueing()),
            Integer.toString(request.nodeWaiters()),
            Long.toString(Math.max(request.reportTtl().toMillis(), 1))
        };
        try {
            List<Object> reply;
            try {
                reply = awaitInterruptibly(
                        script.<List<Object>>evalShaAsync(
                                key,
                                RScript.Mode.READ_WRITE,
                                LockScripts.ACQUIRE_SHA,
                                RScript.ReturnType.LIST,
                                keys,
                                args),
                        request.timeout());
            } catch (LockStoreException e) {
                if (!LockScripts.isNoScript(e)) {
                    throw e;
                }
                reply = awaitInterruptibly(
                        script.<List<Object>>evalAsync(
                                key, RScript.Mode.READ_WRITE, LockScripts.ACQUIRE, RScript.ReturnType.LIST, keys, args),
                        request.timeout());
            }
            return LockReplies.acquire(reply);
        } catch (LockStoreException | InterruptedException e) {
            leave(key, request.ownerValue(), request.ttl(), request.timeout());
            throw e;
        }
    }

    @Override
    public boolean release(String key, String token, Duration ttl, Duration timeout) {
        return LockReplies.released(
                run(LockScripts.RELEASE, LockScripts.RELEASE_SHA, key, timeout, token, Long.toString(ttl.toMillis())));
    }

    @Override
    public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
        List<Object> keys = List.of(key, LockKeys.waitersKey(key));
        Object[] args = {token, Long.toString(ttl.toMillis())};
        return Replies.<Object>scriptWithin(
                        () -> script.evalShaAsync(
                                key,
                                RScript.Mode.READ_WRITE,
                                LockScripts.EXTEND_SHA,
                                RScript.ReturnType.LONG,
                                keys,
                                args),
                        () -> script.evalAsync(
                                key, RScript.Mode.READ_WRITE, LockScripts.EXTEND, RScript.ReturnType.LONG, keys, args),
                        timeout)
                .thenApply(ONE::equals);
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        return token.equals(
                await(client.<String>getList(key, StringCodec.INSTANCE).getAsync(0), timeout));
    }

    @Override
    public @Nullable StoredLock describe(String key, Duration timeout) {
        List<Object> reply = run(LockScripts.DESCRIBE, LockScripts.DESCRIBE_SHA, RScript.ReturnType.LIST, key, timeout);
        return StoredLocks.fromReply(reply);
    }

    @Override
    public String name() {
        return "redisson";
    }

    private Object run(String source, String sha, String key, Duration timeout, Object... args) {
        return run(source, sha, RScript.ReturnType.LONG, key, timeout, args);
    }

    private <T> T run(
            String source, String sha, RScript.ReturnType type, String key, Duration timeout, Object... args) {
        // Every script declares both of the lock's keys (one Cluster slot), whether it touches the counts or not.
        List<Object> keys = List.of(key, LockKeys.waitersKey(key));
        try {
            return await(script.<T>evalShaAsync(key, RScript.Mode.READ_WRITE, sha, type, keys, args), timeout);
        } catch (LockStoreException e) {
            if (!LockScripts.isNoScript(e)) {
                throw e;
            }
            return await(script.<T>evalAsync(key, RScript.Mode.READ_WRITE, source, type, keys, args), timeout);
        }
    }

    /** Takes back an attempt whose outcome is unknown, or a waiter that gives up; fire and forget. */
    @Override
    public void leave(String key, String token, Duration ttl, Duration timeout) {
        try {
            // EVAL, not EVALSHA: after a restart the script cache is empty and nobody would see the NOSCRIPT error.
            script.evalAsync(
                    key,
                    RScript.Mode.READ_WRITE,
                    LockScripts.LEAVE,
                    RScript.ReturnType.LONG,
                    List.of(key, LockKeys.waitersKey(key)),
                    token,
                    Long.toString(ttl.toMillis()));
        } catch (RuntimeException ignored) {
            // Best effort: the TTL bounds the lock if this does not get through.
        }
    }
}
