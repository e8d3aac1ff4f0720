package io.sessionlocking.redis;

import static io.sessionlocking.support.Replies.await;
import static io.sessionlocking.support.Replies.awaitInterruptibly;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.HandOffs;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.support.LockReplies;
import io.sessionlocking.support.LockScripts;
import io.sessionlocking.support.StoredLocks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 *       queue at the end ({@code RPUSH}), else report the holder.
 *   <li>Release: {@code EVALSHA} of {@link LockScripts#RELEASE}: remove the holder if it is the caller; the next in the
 *       queue then holds the lock with a fresh TTL, and its owner value is published on the channel named like the key.
 *   <li>Extend: {@code EVALSHA} of {@link LockScripts#EXTEND} (compare-and-{@code PEXPIRE}). Held: {@code LINDEX key 0},
 *       compared in the client. Describe (operators only): {@link LockScripts#DESCRIBE}, the holder and {@code PTTL}.
 *   <li>Leave (a queued waiter gives up): {@link LockScripts#LEAVE}, which releases the lock on if it was just handed to
 *       the leaver.
 * </ul>
 *
 * Scripts are sent by SHA; on {@code NOSCRIPT} (a restarted or flushed server) the script is sent once with {@code
 * EVAL}, which also caches it again.
 *
 * <h2>Connections and time-outs</h2>
 *
 * Takes the async commands of one shared connection, standalone or cluster (no pool: every command is a single
 * non-blocking command). Each call waits for its reply at most its {@code timeout}, whatever the connection's own
 * command timeout. Lettuce keeps the commands of one connection in order, so when a first attempt times out the store
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
    public boolean tryAcquire(String key, String token, Duration ttl, Duration timeout) throws InterruptedException {
        return attempt(key, token, ttl, timeout, LockScripts.POLL) instanceof AttemptOutcome.Acquired<Boolean>;
    }

    @Override
    public AttemptOutcome<Boolean> acquireOrQueue(
            String key, String token, Duration ttl, Duration timeout, boolean queued) throws InterruptedException {
        return attempt(key, token, ttl, timeout, queued ? LockScripts.QUEUED : LockScripts.QUEUE);
    }

    private AttemptOutcome<Boolean> attempt(String key, String token, Duration ttl, Duration timeout, String mode)
            throws InterruptedException {
        String[] keys = {key};
        String[] args = {token, Long.toString(ttl.toMillis()), mode};
        RedisFuture<List<Object>> reply = commands.evalsha(LockScripts.ACQUIRE_SHA, ScriptOutputType.MULTI, keys, args);
        try {
            List<Object> result;
            try {
                result = awaitInterruptibly(reply, timeout);
            } catch (LockStoreException e) {
                if (!LockScripts.isNoScript(e)) {
                    throw e;
                }
                result = awaitInterruptibly(
                        commands.<List<Object>>eval(LockScripts.ACQUIRE, ScriptOutputType.MULTI, keys, args), timeout);
            }
            return LockReplies.acquire(result);
        } catch (LockStoreException | InterruptedException e) {
            abandon(key, token, ttl);
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
    public void leaveQueue(String key, String token, Duration ttl, Duration timeout) {
        abandon(key, token, ttl);
    }

    @Override
    public boolean extend(String key, String token, Duration ttl, Duration timeout) {
        return ONE.equals(script(
                LockScripts.EXTEND,
                LockScripts.EXTEND_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                token,
                Long.toString(ttl.toMillis())));
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
        String[] keys = {key};
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
     * Takes back an attempt whose outcome is unknown, whether it took the lock or queued; fire and forget. Queued
     * behind it on the same connection, so it runs after the attempt if that ever runs.
     */
    private void abandon(String key, String token, Duration ttl) {
        try {
            // EVAL, not EVALSHA: after a restart the script cache is empty and nobody would see the NOSCRIPT error.
            commands.eval(
                    LockScripts.LEAVE,
                    ScriptOutputType.INTEGER,
                    new String[] {key},
                    token,
                    Long.toString(ttl.toMillis()));
        } catch (RuntimeException ignored) {
            // Best effort: the TTL bounds the lock if this does not get through.
        }
    }
}
