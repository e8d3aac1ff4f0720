package io.sessionlocking.spring.redis;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.HandOffs;
import io.sessionlocking.core.LockAttempt;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * The lock of the fused repository as a {@link LockStore}: the lock field inside each session's hash, with the queue
 * of other nodes' waiters next to it (see {@link SessionHashScripts}), so that the engine's handles extend, release,
 * check and describe it, and its waiters are handed the lock by releases. The key is the session's own key. {@link
 * #acquire} takes the lock of an existing session only (it never creates a session); the repository's attempts
 * ({@link #lockAndLoad}) also return the session in the same round trip.
 *
 * <p>Every call is one script on one key, bounded by the Redis client's command timeout (the {@code timeout}
 * arguments cannot shorten a call of Spring Data Redis's blocking API); a Redis failure is a {@link
 * LockStoreException}. Extensions do not block: they go through {@link SessionHashExtensions} (the reactive
 * connection, or a small pool for Jedis), and their results complete within their {@code timeout}. When an attempt fails after it may have reached Redis, a leave for its owner value is sent
 * behind it (on Lettuce's shared connection it runs after the attempt), so that a late success or queue entry does not
 * outlive the attempt; on Lettuce the leave is sent without waiting for its reply ({@link
 * SessionHashCommands#sendLeave}), so that a request giving up while Redis hangs does not wait out another command
 * timeout. Thread-safe.
 */
final class SessionHashLockStore implements LockStore, AutoCloseable {

    static final String NAME = "redis-session";

    private final SessionHashCommands commands;
    private final LockSettings settings;
    private final SessionHashExtensions extensions;
    private final @Nullable HandOffs handOffs;

    SessionHashLockStore(
            SessionHashCommands commands,
            SessionHashExtensions extensions,
            LockSettings settings,
            @Nullable HandOffs handOffs) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handOffs = handOffs;
    }

    SessionHashCommands commands() {
        return commands;
    }

    /** An attempt that takes the lock of the session at its key and returns the session's fields with it. */
    LockAttempt<List<Object>> lockAndLoad() {
        return new LockAttempt<>() {
            @Override
            public AttemptOutcome<List<Object>> attempt(AttemptRequest request) {
                List<Object> reply = attemptOnce(request, true);
                return outcome(reply, reply);
            }

            @Override
            public void leave(String key, String ownerValue, Duration timeout) {
                SessionHashLockStore.this.leave(key, ownerValue, settings.lockTtl(), timeout);
            }
        };
    }

    /** Takes the lock of an existing session only; there is nothing to lock (absent) when there is no session. */
    @Override
    public AttemptOutcome<Boolean> acquire(AttemptRequest request) {
        return outcome(attemptOnce(request, false), Boolean.TRUE);
    }

    private static <T> AttemptOutcome<T> outcome(@Nullable List<Object> reply, T acquired) {
        if (isNil(reply)) {
            return AttemptOutcome.absent();
        }
        long status = ((Number) reply.get(0)).longValue();
        if (status == 1) {
            return AttemptOutcome.acquired(acquired);
        }
        Duration left = Duration.ofMillis(((Number) reply.get(1)).longValue());
        StoredLock holder = new StoredLock(SessionHashCommands.string(reply.get(2)), left);
        int elsewhere = reply.size() > 3 && reply.get(3) instanceof Number count ? count.intValue() : 0;
        return status == 2 ? AttemptOutcome.queued(holder, elsewhere) : AttemptOutcome.held(holder, elsewhere);
    }

    private @Nullable List<Object> attemptOnce(AttemptRequest request, boolean load) {
        try {
            return commands.lockAndLoad(request, load);
        } catch (DataAccessException | IllegalStateException e) {
            leave(request.key(), request.ownerValue(), settings.lockTtl(), settings.commandTimeout());
            throw new LockStoreException("Redis failed to lock a session: " + e.getMessage(), e);
        }
    }

    /** A script's {@code false}: Redis sends nil, which a multi-bulk reply type may hand over as {@code [null]}. */
    private static boolean isNil(@Nullable List<Object> reply) {
        return reply == null || reply.isEmpty() || reply.get(0) == null;
    }

    @Override
    public void leave(String key, String token, Duration ttl, Duration timeout) {
        try {
            if (!commands.sendLeave(key, token, ttl, longestWait())) {
                commands.leave(key, token, ttl, longestWait());
            }
        } catch (RuntimeException ignored) {
            // Redis is failing: the entry is dropped by the next release once its wait is over.
        }
    }

    @Override
    public boolean release(String key, String token, Duration ttl, Duration timeout) {
        return call(() -> commands.releaseLock(key, token, ttl, longestWait()));
    }

    /** How long a queue entry may be waiting still: the acquisition timeout, and one command's time on top. */
    Duration longestWait() {
        return settings.timeout().plus(settings.commandTimeout());
    }

    @Override
    public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
        return extensions.extend(key, token, ttl, timeout);
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

    @Override
    public @Nullable HandOffs handOffs() {
        return handOffs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        extensions.close();
        if (handOffs != null) {
            handOffs.close();
        }
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (DataAccessException e) {
            throw new LockStoreException("Redis failed a session lock command: " + e.getMessage(), e);
        }
    }
}
