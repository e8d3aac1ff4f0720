package io.sessionlocking.cache.redis;

import static io.sessionlocking.support.Replies.await;
import static io.sessionlocking.support.Replies.awaitInterruptibly;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.support.LockScripts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EntryStore} on Redis through Lettuce.
 *
 * <h2>Storage details</h2>
 *
 * One key per entry, a hash, under the caller's key name (the Spring cache writer uses {@code RedisCache}'s own,
 * e.g. {@code reports::daily}); the fields are listed in {@link EntryScripts}. The key expires after the longer stale
 * window, or one lock TTL after a lock was taken on a missing value. Every operation is one single-key script run by
 * SHA ({@code EVALSHA}; on {@code NOSCRIPT} once with {@code EVAL}, which caches it again), or a plain {@code DEL}:
 *
 * <table>
 *   <caption>Operations</caption>
 *   <tr><th>Operation</th><th>Script</th><th>Guarantee</th></tr>
 *   <tr><td>read</td><td>{@link EntryScripts#READ}</td><td>the decision and the lock are one step</td></tr>
 *   <tr><td>fill</td><td>{@link EntryScripts#FILL}</td><td>stores only while the token holds the lock</td></tr>
 *   <tr><td>fail, release</td><td>{@link EntryScripts#UNLOCK}</td><td>only the holder unlocks</td></tr>
 *   <tr><td>renew</td><td>{@link EntryScripts#EXTEND}</td><td>only the holder extends</td></tr>
 *   <tr><td>put, put-if-absent, mark stale</td><td>{@code PUT}, {@code PUT_IF_ABSENT}, {@code MARK_STALE}</td>
 *       <td>supersede the lock</td></tr>
 *   <tr><td>evict</td><td>{@code DEL}</td><td>value and lock go together</td></tr>
 * </table>
 *
 * <h2>Notifications</h2>
 *
 * Fills, failures and releases of an entry someone waits for ({@code w} set by the waiting read) {@code PUBLISH} the
 * key on one channel, {@value LettuceEntryStores#DEFAULT_CHANNEL} by default; {@link FillNotifications} holds one
 * subscription per store and wakes this node's waiters of that key. Nothing is published for entries nobody waits
 * for (hits, stale-while-revalidate refreshes, early refreshes).
 *
 * <h2>Time-outs</h2>
 *
 * Each call waits for its reply at most its {@code timeout}. When a read times out after it was sent it may have
 * taken the lock: a release with the same token is queued right behind it on the same connection (fire and forget).
 */
public final class LettuceEntryStore implements EntryStore {

    private static final Long ONE = 1L;
    private static final byte[] EMPTY = new byte[0];
    private static final State[] STATES = State.values();

    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final FillNotifications notifications;
    private final byte[] channel;

    LettuceEntryStore(RedisClusterAsyncCommands<byte[], byte[]> commands, FillNotifications notifications) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.channel = notifications.channel();
    }

    @Override
    public Read read(byte[] key, ReadRequest request, Duration timeout) throws InterruptedException {
        byte[][] args = {
            utf8(request.token()),
            number(request.lockTtl().toMillis()),
            utf8(Double.toString(request.earlyFactor())),
            number(request.awaitedGeneration()),
            utf8(request.mayLock() ? "1" : "0")
        };
        List<Object> reply;
        try {
            reply = scriptInterruptibly(EntryScripts.READ, EntryScripts.READ_SHA, key, timeout, args);
        } catch (LockStoreException | InterruptedException e) {
            if (request.mayLock()) {
                abandon(key, request.token());
            }
            throw e;
        }
        return new Read(
                STATES[((Number) reply.get(0)).intValue() - 1],
                (byte[]) reply.get(1),
                Duration.ofMillis(((Number) reply.get(2)).longValue()),
                ((Number) reply.get(3)).longValue());
    }

    @Override
    public boolean fill(byte[] key, String token, byte[] value, Expiry expiry, Duration delta, Duration timeout) {
        return ONE.equals(script(
                EntryScripts.FILL,
                EntryScripts.FILL_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                storeArgs(utf8(token), value, expiry, delta.toMillis())));
    }

    @Override
    public void put(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
        script(
                EntryScripts.PUT,
                EntryScripts.PUT_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                storeArgs(EMPTY, value, expiry, -1));
    }

    @Override
    public byte @Nullable [] putIfAbsent(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
        return script(
                EntryScripts.PUT_IF_ABSENT,
                EntryScripts.PUT_IF_ABSENT_SHA,
                ScriptOutputType.VALUE,
                key,
                timeout,
                storeArgs(EMPTY, value, expiry, -1));
    }

    @Override
    public boolean fail(byte[] key, String token, Duration timeout) {
        return unlock(key, token, true, timeout);
    }

    @Override
    public boolean release(byte[] key, String token, Duration timeout) {
        return unlock(key, token, false, timeout);
    }

    @Override
    public boolean extend(byte[] key, String token, Duration lockTtl, Duration timeout) {
        return ONE.equals(script(
                EntryScripts.EXTEND,
                EntryScripts.EXTEND_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                utf8(token),
                number(lockTtl.toMillis())));
    }

    @Override
    public boolean markStale(byte[] key, Expiry expiry, Duration timeout) {
        return ONE.equals(script(
                EntryScripts.MARK_STALE,
                EntryScripts.MARK_STALE_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                number(expiry.staleWhileRevalidate().toMillis()),
                number(expiry.staleIfError().toMillis())));
    }

    @Override
    public boolean evict(byte[] key, Duration timeout) {
        return ONE.equals(await(commands.del(key), timeout));
    }

    @Override
    public Watch watch(byte[] key, Runnable onChange) {
        return notifications.watch(key, onChange);
    }

    @Override
    public String name() {
        return "redis";
    }

    private boolean unlock(byte[] key, String token, boolean failed, Duration timeout) {
        return ONE.equals(script(
                EntryScripts.UNLOCK,
                EntryScripts.UNLOCK_SHA,
                ScriptOutputType.INTEGER,
                key,
                timeout,
                utf8(token),
                channel,
                utf8(failed ? "1" : "0")));
    }

    private byte[][] storeArgs(byte[] token, byte[] value, Expiry expiry, long deltaMillis) {
        return new byte[][] {
            token,
            value,
            number(expiry.ttl().toMillis()),
            number(expiry.staleWhileRevalidate().toMillis()),
            number(expiry.staleIfError().toMillis()),
            number(deltaMillis),
            channel
        };
    }

    private List<Object> scriptInterruptibly(String script, String sha, byte[] key, Duration timeout, byte[]... args)
            throws InterruptedException {
        byte[][] keys = {key};
        try {
            return awaitInterruptibly(commands.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args), timeout);
        } catch (LockStoreException e) {
            if (!LockScripts.isNoScript(e)) {
                throw e;
            }
            return awaitInterruptibly(commands.<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args), timeout);
        }
    }

    private <T> T script(
            String script, String sha, ScriptOutputType type, byte[] key, Duration timeout, byte[]... args) {
        byte[][] keys = {key};
        try {
            return await(commands.<T>evalsha(sha, type, keys, args), timeout);
        } catch (LockStoreException e) {
            if (!LockScripts.isNoScript(e)) {
                throw e;
            }
            return await(commands.<T>eval(script, type, keys, args), timeout);
        }
    }

    /** Releases a lock a read of unknown outcome may have taken; fire and forget, behind the read. */
    private void abandon(byte[] key, String token) {
        try {
            // EVAL, not EVALSHA: after a restart the script cache is empty and nobody would see the NOSCRIPT error.
            commands.eval(
                    EntryScripts.UNLOCK, ScriptOutputType.INTEGER, new byte[][] {key}, utf8(token), channel, utf8("0"));
        } catch (RuntimeException ignored) {
            // Best effort: the lock TTL bounds it.
        }
    }

    private static byte[] number(long value) {
        return utf8(Long.toString(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
