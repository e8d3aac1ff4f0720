package io.sessionlocking.spring.redis;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.LockAttempt;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * The lock of the fused repository as a {@link LockStore}: the lock field inside each session's hash (see {@link
 * SessionHashScripts}), so that the engine's handles extend, release, check and describe it. The key is the session's
 * own key. {@link #tryAcquire} takes the lock of an existing session only (it never creates a session); the
 * repository's attempts ({@link #lockAndLoad}) also return the session in the same round trip.
 *
 * <p>Every call is one script on one key, bounded by the Redis client's command timeout (the {@code timeout}
 * arguments cannot shorten a call of Spring Data Redis's blocking API); a Redis failure is a {@link
 * LockStoreException}. When an attempt fails after it may have reached Redis, a release for its owner value is sent
 * behind it (on Lettuce's shared connection it runs after the attempt), so that a late success does not keep the lock
 * past its TTL. Thread-safe.
 */
final class SessionHashLockStore implements LockStore {

    static final String NAME = "redis-session";

    private final SessionHashCommands commands;

    SessionHashLockStore(SessionHashCommands commands) {
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    SessionHashCommands commands() {
        return commands;
    }

    /** An attempt that takes the lock of the session at its key and returns the session's fields with it. */
    LockAttempt<List<Object>> lockAndLoad() {
        return (key, ownerValue, ttl, timeout) -> {
            List<Object> reply = attempt(() -> commands.lockAndLoad(key, ownerValue, ttl, true), key, ownerValue);
            return outcome(reply, reply);
        };
    }

    @Override
    public boolean tryAcquire(String key, String token, Duration ttl, Duration timeout) {
        List<Object> reply = attempt(() -> commands.lockAndLoad(key, token, ttl, false), key, token);
        return outcome(reply, Boolean.TRUE) instanceof AttemptOutcome.Acquired<Boolean>;
    }

    private static <T> AttemptOutcome<T> outcome(@Nullable List<Object> reply, T acquired) {
        if (isNil(reply)) {
            return AttemptOutcome.absent();
        }
        if (((Number) reply.get(0)).longValue() == 1) {
            return AttemptOutcome.acquired(acquired);
        }
        Duration left = Duration.ofMillis(((Number) reply.get(1)).longValue());
        return AttemptOutcome.held(new StoredLock(SessionHashCommands.string(reply.get(2)), left));
    }

    private @Nullable List<Object> attempt(Supplier<@Nullable List<Object>> call, String key, String ownerValue) {
        try {
            return call.get();
        } catch (DataAccessException | IllegalStateException e) {
            abandon(key, ownerValue);
            throw new LockStoreException("Redis failed to lock a session: " + e.getMessage(), e);
        }
    }

    /** Releases behind an attempt whose outcome is unknown; best effort, the TTL bounds it otherwise. */
    private void abandon(String key, String ownerValue) {
        try {
            commands.releaseLock(key, ownerValue);
        } catch (RuntimeException ignored) {
            // Redis is failing: the attempt most likely never ran either.
        }
    }

    @Override
    public boolean release(String key, String token, Duration timeout) {
        return call(() -> commands.releaseLock(key, token));
    }

    @Override
    public boolean extend(String key, String token, Duration ttl, Duration timeout) {
        return call(() -> commands.extendLock(key, token, ttl));
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        return call(() -> commands.lockHeld(key, token));
    }

    @Override
    public @Nullable StoredLock describe(String key, Duration timeout) {
        List<Object> reply = call(() -> commands.describeLock(key));
        return isNil(reply) || reply.size() < 2
                ? null
                : new StoredLock(
                        SessionHashCommands.string(reply.get(0)),
                        Duration.ofMillis(((Number) reply.get(1)).longValue()));
    }

    /** A script's {@code false}: Redis sends nil, which a multi-bulk reply type may hand over as {@code [null]}. */
    private static boolean isNil(@Nullable List<Object> reply) {
        return reply == null || reply.isEmpty() || reply.get(0) == null;
    }

    @Override
    public String name() {
        return NAME;
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (DataAccessException e) {
            throw new LockStoreException("Redis failed a session lock command: " + e.getMessage(), e);
        }
    }
}
