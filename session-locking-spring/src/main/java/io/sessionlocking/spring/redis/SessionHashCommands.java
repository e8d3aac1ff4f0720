package io.sessionlocking.spring.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.support.LockScripts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.ClassUtils;

/**
 * The Redis commands of the fused repository, each one round trip on one key, through Spring Data Redis (so on any
 * {@link RedisConnectionFactory}: Lettuce or Redisson, standalone, Sentinel or Cluster). Keys, field names and owner
 * values travel as UTF-8, field values as the bytes the session serializer made. Failures surface as Spring's {@code
 * DataAccessException}s; each command is bounded by the client's command timeout. Thread-safe.
 */
final class SessionHashCommands {

    /** How a fenced write treats the lock. */
    enum LockAction {
        KEEP("keep"),
        RELEASE("release");

        private final byte[] argument;

        LockAction(String argument) {
            this.argument = utf8(argument);
        }
    }

    /** Reply codes of the writing scripts. */
    static final long WRITTEN = 1;

    static final long NO_SESSION = 0;
    static final long NOT_OWNER = -1;
    static final long EXISTS_ALREADY = -2;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ONE = utf8("1");
    private static final byte[] ZERO = utf8("0");
    private static final byte[] NO_EXPIRY = utf8("-1");

    private static final boolean LETTUCE = ClassUtils.isPresent(
            "io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands", SessionHashCommands.class.getClassLoader());

    private final RedisTemplate<byte[], byte[]> template;

    SessionHashCommands(RedisConnectionFactory connectionFactory) {
        RedisTemplate<byte[], byte[]> bytes = new RedisTemplate<>();
        bytes.setConnectionFactory(Objects.requireNonNull(connectionFactory, "connectionFactory"));
        bytes.setEnableDefaultSerializer(false);
        bytes.setKeySerializer(RedisSerializer.byteArray());
        bytes.setValueSerializer(RedisSerializer.byteArray());
        bytes.setHashKeySerializer(RedisSerializer.byteArray());
        bytes.setHashValueSerializer(RedisSerializer.byteArray());
        bytes.afterPropertiesSet();
        this.template = bytes;
    }

    /** Every field of the hash, lock field included; empty when there is no such key. */
    Map<byte[], byte[]> entries(String key) {
        return template.<byte[], byte[]>opsForHash().entries(utf8(key));
    }

    /** {@link SessionHashScripts#LOCK_AND_LOAD} for an attempt: null when no session, else the reply (see there). */
    @Nullable
    List<Object> lockAndLoad(AttemptRequest request, boolean load) {
        return run(
                SessionHashScripts.LOCK_AND_LOAD,
                request.key(),
                utf8(request.ownerValue()),
                millis(request.ttl()),
                load ? ONE : ZERO,
                utf8(LockScripts.mode(request.queueing())),
                utf8(Integer.toString(request.nodeWaiters())),
                millis(request.reportTtl()));
    }

    /** {@link SessionHashScripts#SAVE}; {@code ownerValue} null for an unfenced write. */
    /** {@link SessionHashScripts#SAVE}; {@code ownerValue} null for an unfenced write. */
    long save(
            String key,
            @Nullable String ownerValue,
            LockAction action,
            Duration ttl,
            Duration longestWait,
            long expireAtMillis,
            Map<String, byte[]> set,
            List<String> delete) {
        return status(run(
                SessionHashScripts.SAVE,
                key,
                writeArguments(ownerValue, action, ttl, longestWait, expireAtMillis, set, delete)));
    }

    /** {@link SessionHashScripts#CREATE}; {@code ownerValue} null to create the session without a lock field. */
    long create(
            String key,
            @Nullable String ownerValue,
            LockAction action,
            Duration ttl,
            long expireAtMillis,
            Map<String, byte[]> fields) {
        return status(run(
                SessionHashScripts.CREATE,
                key,
                writeArguments(ownerValue, action, ttl, Duration.ZERO, expireAtMillis, fields, List.of())));
    }

    /** {@link SessionHashScripts#DELETE_IF_OWNED}; {@code ownerValue} null to delete whoever holds the lock. */
    long deleteIfOwned(String key, @Nullable String ownerValue) {
        return status(run(SessionHashScripts.DELETE_IF_OWNED, key, ownerValue == null ? EMPTY : utf8(ownerValue)));
    }

    List<Object> describeLock(String key) {
        return run(SessionHashScripts.DESCRIBE, key);
    }

    /** {@link SessionHashScripts#TOUCH}: whether the session existed. */
    boolean touch(String key, byte[] lastAccessedTime, long expireAtMillis) {
        return status(run(SessionHashScripts.TOUCH, key, lastAccessedTime, expiry(expireAtMillis))) == 1;
    }

    /** Deletes the key, lock and queue and all, waking the waiters of other nodes: whether it existed. */
    boolean delete(String key) {
        return deleteIfOwned(key, null) == WRITTEN;
    }

    /** Releases the lock, handing it to the oldest queued waiter (for {@code ttl}) if there is one. */
    boolean releaseLock(String key, String ownerValue, Duration ttl, Duration longestWait) {
        return lockOperation(key, ownerValue, "release", ttl, longestWait) == 1;
    }

    /** A waiter gives up: its count and queue entry go, and a lock handed to it meanwhile is released on. */
    void leave(String key, String ownerValue, Duration ttl, Duration longestWait) {
        lockOperation(key, ownerValue, "leave", ttl, longestWait);
    }

    boolean extendLock(String key, String ownerValue, Duration ttl) {
        return lockOperation(key, ownerValue, "extend", ttl, Duration.ZERO) == 1;
    }

    boolean lockHeld(String key, String ownerValue) {
        return lockOperation(key, ownerValue, "held", Duration.ZERO, Duration.ZERO) == 1;
    }

    /**
     * A {@link #leave} sent without waiting for its reply, on the connection the request's attempt went out on, so
     * that it reaches Redis after the attempt: a leave that waited would hold a request that gives up because Redis
     * hangs for another command timeout. {@code false} when nothing was sent: the connection has no asynchronous API
     * (not Lettuce), so the caller leaves with {@link #leave}.
     */
    boolean sendLeave(String key, String ownerValue, Duration ttl, Duration longestWait) {
        if (!LETTUCE) {
            return false;
        }
        byte[][] arguments = {utf8(ownerValue), utf8("leave"), millis(ttl), millis(longestWait)};
        Boolean sent = template.execute((RedisCallback<Boolean>)
                connection -> LettuceLeaves.send(connection.getNativeConnection(), utf8(key), arguments));
        return Boolean.TRUE.equals(sent);
    }

    /** Lettuce's side of {@link #sendLeave}, loaded only when Lettuce is on the class path. */
    private static final class LettuceLeaves {

        private static final byte[] SCRIPT = utf8(SessionHashScripts.LOCK_OPERATION.getScriptAsString());

        static boolean send(Object nativeConnection, byte[] key, byte[][] arguments) {
            if (!(nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands)) {
                return false;
            }
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> bytes = (RedisClusterAsyncCommands<byte[], byte[]>) commands;
            // The reply is not awaited; a failure (Redis gone) leaves the entry to the next release, as a lost leave.
            bytes.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new byte[][] {key}, arguments);
            return true;
        }
    }

    private long lockOperation(String key, String ownerValue, String operation, Duration ttl, Duration longestWait) {
        return status(
                run(SessionHashScripts.LOCK_OPERATION, key, lockArguments(ownerValue, operation, ttl, longestWait)));
    }

    /** The arguments of {@link SessionHashScripts#LOCK_OPERATION}, also sent by {@link SessionHashExtensions}. */
    static byte[][] lockArguments(String ownerValue, String operation, Duration ttl, Duration longestWait) {
        return new byte[][] {utf8(ownerValue), utf8(operation), millis(ttl), millis(longestWait)};
    }

    private static byte[][] writeArguments(
            @Nullable String ownerValue,
            LockAction action,
            Duration ttl,
            Duration longestWait,
            long expireAtMillis,
            Map<String, byte[]> set,
            List<String> delete) {
        List<byte[]> arguments = new ArrayList<>(6 + 2 * set.size() + delete.size());
        arguments.add(ownerValue == null ? EMPTY : utf8(ownerValue));
        arguments.add(action.argument);
        arguments.add(millis(ttl));
        arguments.add(expiry(expireAtMillis));
        arguments.add(millis(longestWait));
        arguments.add(utf8(Integer.toString(set.size())));
        set.forEach((field, value) -> {
            arguments.add(utf8(field));
            arguments.add(value);
        });
        delete.forEach(field -> arguments.add(utf8(field)));
        return arguments.toArray(byte[][]::new);
    }

    /** {@code -1} (or any negative) means the key never expires. */
    private static byte[] expiry(long expireAtMillis) {
        return expireAtMillis < 0 ? NO_EXPIRY : utf8(Long.toString(expireAtMillis));
    }

    /** Replies keep their bulk strings as bytes and integers as {@link Long}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> @Nullable T run(RedisScript<T> script, String key, byte[]... arguments) {
        RedisSerializer bytes = RedisSerializer.byteArray();
        return template.execute(script, bytes, (RedisSerializer<T>) bytes, List.of(utf8(key)), (Object[]) arguments);
    }

    static long status(@Nullable Object reply) {
        if (!(reply instanceof Number number)) {
            throw new IllegalStateException("Unexpected reply from a session script: " + reply);
        }
        return number.longValue();
    }

    private static byte[] millis(Duration duration) {
        return utf8(Long.toString(Math.max(duration.toMillis(), 1)));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String string(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
