package io.sessionlocking.redis;

import static io.sessionlocking.support.Replies.await;
import static io.sessionlocking.support.Replies.awaitInterruptibly;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.support.LockScripts;
import io.sessionlocking.support.StoredLocks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LockStore} on Redis through Lettuce.
 *
 * <h2>Storage details</h2>
 *
 * <ul>
 *   <li>Key {@code <namespace>:lock:{<sessionId>}}, a string with a TTL holding the owner's value: a 128-bit random
 *       token as 32 hex characters, then optionally a space and the holder's description (node, method, path, since;
 *       never the session id). The whole value is compared, so only the random token makes it unique.
 *   <li>Acquire: {@code SET key token NX PX ttl}, one atomic command.
 *   <li>Release: {@code EVALSHA} of {@link LockScripts#RELEASE} (compare-and-delete).
 *   <li>Extend: {@code EVALSHA} of {@link LockScripts#EXTEND} (compare-and-{@code PEXPIRE}).
 *   <li>Held: {@code GET key}, compared in the client.
 *   <li>Describe (operators only): {@code EVALSHA} of {@link LockScripts#DESCRIBE}, the value and {@code PTTL} together.
 * </ul>
 *
 * Scripts are sent by SHA; on {@code NOSCRIPT} (a restarted or flushed server) the script is sent once with {@code
 * EVAL}, which also caches it again.
 *
 * <h2>Connections and time-outs</h2>
 *
 * Takes the async commands of one shared connection, standalone or cluster (no pool: every command is a single
 * non-blocking command). Each call waits for its reply at most its {@code timeout}, whatever the connection's own
 * command timeout. Lettuce keeps the commands of one connection in order, so when an acquire times out the store
 * sends a compare-and-delete behind it without waiting: if the late {@code SET} ever runs, the delete that follows it
 * removes it. Connections made by {@link LettuceLockStores} reject commands while disconnected, so an outage fails
 * each attempt at once instead of queueing it.
 */
public final class LettuceLockStore implements LockStore {

    private static final Long ONE = 1L;

    private final RedisClusterAsyncCommands<String, String> commands;

    public LettuceLockStore(RedisClusterAsyncCommands<String, String> commands) {
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public boolean tryAcquire(String key, String token, Duration ttl, Duration timeout) throws InterruptedException {
        RedisFuture<String> reply =
                commands.set(key, token, SetArgs.Builder.nx().px(ttl.toMillis()));
        try {
            return "OK".equals(awaitInterruptibly(reply, timeout));
        } catch (LockStoreException | InterruptedException e) {
            abandon(key, token);
            throw e;
        }
    }

    @Override
    public boolean release(String key, String token, Duration timeout) {
        return ONE.equals(script(LockScripts.RELEASE, LockScripts.RELEASE_SHA, key, timeout, token));
    }

    @Override
    public boolean extend(String key, String token, Duration ttl, Duration timeout) {
        return ONE.equals(
                script(LockScripts.EXTEND, LockScripts.EXTEND_SHA, key, timeout, token, Long.toString(ttl.toMillis())));
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        return token.equals(await(commands.get(key), timeout));
    }

    @Override
    public @Nullable StoredLock describe(String key, Duration timeout) {
        List<Object> reply =
                script(LockScripts.DESCRIBE, LockScripts.DESCRIBE_SHA, ScriptOutputType.MULTI, key, timeout);
        return StoredLocks.fromReply(reply);
    }

    @Override
    public String name() {
        return "redis";
    }

    private Object script(String script, String sha, String key, Duration timeout, String... args) {
        return script(script, sha, ScriptOutputType.INTEGER, key, timeout, args);
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

    /** Deletes the lock behind an acquire whose outcome is unknown, if it holds this token; fire and forget. */
    private void abandon(String key, String token) {
        try {
            // EVAL, not EVALSHA: after a restart the script cache is empty and nobody would see the NOSCRIPT error.
            commands.eval(LockScripts.RELEASE, ScriptOutputType.INTEGER, new String[] {key}, token);
        } catch (RuntimeException ignored) {
            // Best effort: the TTL bounds the lock if this does not get through.
        }
    }
}
