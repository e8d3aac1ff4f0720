package io.sessionlocking.redis;

import static io.sessionlocking.support.Replies.await;
import static io.sessionlocking.support.Replies.awaitInterruptibly;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.HandOffs;
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

/**
 * A {@link LockStore} on Redis through Lettuce, with a queue: a waiter queues behind the holder, and a release hands
 * the lock to the first in the queue and announces it ({@link #handOffs()}).
 *
 * <h2>Storage details</h2>
 *
 * <ul>
 *   <li>Key {@code <namespace>:lock:{<sessionId>}}, a list with the lock's TTL: the holder's owner value first (a
 *       128-bit random token as 32 hex characters, then optionally a space and the holder's description: node, method,
 *       path, since; never the session id), then the owner values of the waiters queued behind it, one per waiting
 *       JVM, in arrival order. The TTL is the holder's: a dead holder's lock and its queue expire together.
 *   <li>Acquire: {@code EVALSHA} of {@link LockScripts#ACQUIRE}: take it if free; else, when waiters are notified,
 *       queue at the end ({@code RPUSH}), else report the holder; on a held lock, record this node's waiter count in
 *       the hash {@code <lock key>:waiters} and answer with the other nodes' ({@link LockKeys#waitersKey}).
 *   <li>Release: {@code EVALSHA} of {@link LockScripts#RELEASE}: remove the holder if it is the caller; the next in the
 *       queue whose waiter is still within its wait (its count has not expired; entries of dead nodes are dropped)
 *       then holds the lock with a fresh TTL, and its owner value is published on the channel named like the key.
 *   <li>Extend: {@code EVALSHA} of {@link LockScripts#EXTEND} (compare-and-{@code PEXPIRE}). Held: {@code LINDEX key 0},
 *       compared in the client. Describe (operators only): {@link LockScripts#DESCRIBE}, the holder and {@code PTTL}.
 *   <li>Leave (a waiter gives up): {@link LockScripts#LEAVE}, which drops its count, and releases the lock on if it was
 *       just handed to the leaver.
 * </ul>
 *
 * Scripts are sent by SHA; on {@code NOSCRIPT} (a restarted or flushed server) the script is sent once with {@code
 * EVAL}, which also caches it again.
 *
 * <h2>Connections and time-outs</h2>
 *
 * Takes the async commands of one shared connection, standalone or cluster (no pool: every command is a single
 * non-blocking command). Each call waits for its reply at most its {@code timeout}, whatever the connection's own
 * command timeout; an extension does not wait at all (its result completes within its timeout), and on a Cluster
 * Lettuce sends it to its key's shard, so a slow shard delays only its own locks' extensions. Lettuce keeps the commands of one connection in order, so when a first attempt times out the store
 * sends a leave behind it without waiting: if the late attempt ever runs, the leave that follows it takes it back.
 */
public final class LettuceLockStore implements LockStore {

    private static final Long ONE = 1L;

    private final RedisClusterAsyncCommands<String, String> commands;
    private final @Nullable HandOffs handOffs;

    public LettuceLockStore(RedisClusterAsyncCommands<String, String> commands) {
        this(commands, null);
    }

    /** A store whose hand-offs are announced through {@code handOffs} (see {@link LettuceHandOffs}). */
    public LettuceLockStore(RedisClusterAsyncCommands<String, String> commands, @Nullable HandOffs handOffs) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.handOffs = handOffs;
    }

    @Override
    public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
        String key = request.key();
        String[] keys = {key, LockKeys.waitersKey(key)};
        String[] args = {
            request.ownerValue(),
            Long.toString(request.ttl().toMillis()),
            LockScripts.mode(request.queueing()),
            Integer.toString(request.nodeWaiters()),
            Long.toString(Math.max(request.reportTtl().toMillis(), 1))
        };
        RedisFuture<List<Object>> reply = commands.evalsha(LockScripts.ACQUIRE_SHA, ScriptOutputType.MULTI, keys, args);
        try {
            List<Object> result;
            try {
                result = awaitInterruptibly(reply, request.timeout());
            } catch (LockStoreException e) {
                if (!LockScripts.isNoScript(e)) {
                    throw e;
                }
                result = awaitInterruptibly(
                        commands.<List<Object>>eval(LockScripts.ACQUIRE, ScriptOutputType.MULTI, keys, args),
                        request.timeout());
            }
            return LockReplies.acquire(result);
        } catch (LockStoreException | InterruptedException e) {
            leave(key, request.ownerValue(), request.ttl(), request.timeout());
            throw e;
        }
    }

    @Override
    public boolean release(String key, String token, Duration ttl, Duration timeout) {
        Object reply = script(
                LockScripts.RELEASE,
                LockScripts.RELEASE_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                token,
                Long.toString(ttl.toMillis()));
        return LockReplies.released(reply);
    }

    @Override
    public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
        String[] keys = {key, LockKeys.waitersKey(key)};
        String[] args = {token, Long.toString(ttl.toMillis())};
        return Replies.<Long>scriptWithin(
                        () -> commands.evalsha(LockScripts.EXTEND_SHA, ScriptOutputType.INTEGER, keys, args),
                        () -> commands.eval(LockScripts.EXTEND, ScriptOutputType.INTEGER, keys, args),
                        timeout)
                .thenApply(ONE::equals);
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        return token.equals(await(commands.lindex(key, 0), timeout));
    }

    @Override
    public @Nullable StoredLock describe(String key, Duration timeout) {
        List<Object> reply =
                script(LockScripts.DESCRIBE, LockScripts.DESCRIBE_SHA, ScriptOutputType.MULTI, key, timeout);
        return StoredLocks.fromReply(reply);
    }

    @Override
    public @Nullable HandOffs handOffs() {
        return handOffs;
    }

    @Override
    public String name() {
        return "redis";
    }

    private <T> T script(
            String script, String sha, ScriptOutputType type, String key, Duration timeout, String... args) {
        // Every script declares both of the lock's keys (one Cluster slot), whether it touches the counts or not.
        String[] keys = {key, LockKeys.waitersKey(key)};
        try {
            return await(commands.<T>evalsha(sha, type, keys, args), timeout);
        } catch (LockStoreException e) {
            if (!LockScripts.isNoScript(e)) {
                throw e;
            }
            return await(commands.<T>eval(script, type, keys, args), timeout);
        }
    }

    /**
     * Takes back an attempt whose outcome is unknown (whether it took the lock, queued or left a count), or a waiter
     * that gives up; fire and forget. Queued behind the attempt on the same connection, so it runs after the attempt if
     * that ever runs.
     */
    @Override
    public void leave(String key, String token, Duration ttl, Duration timeout) {
        try {
            // EVAL, not EVALSHA: after a restart the script cache is empty and nobody would see the NOSCRIPT error.
            commands.eval(
                    LockScripts.LEAVE,
                    ScriptOutputType.INTEGER,
                    new String[] {key, LockKeys.waitersKey(key)},
                    token,
                    Long.toString(ttl.toMillis()));
        } catch (RuntimeException ignored) {
            // Best effort: the TTL bounds the lock if this does not get through.
        }
    }
}
