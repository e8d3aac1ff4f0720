package io.sessionlocking.spring.redis;

import io.sessionlocking.core.HandOffs;
import io.sessionlocking.core.LockClock;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SpinLockProvider;
import java.util.Objects;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Builds the fused repository and its lock engine on one connection factory, so that both agree on the keys and the
 * lock layout: the engine's key of a session is the session's own hash key. One instance per application.
 *
 * <pre>{@code
 * LockStore store = LockingRedisSessions.lockStore(connectionFactory, LockSettings.defaults());
 * LockingRedisSessions sessions = LockingRedisSessions.create(store, serializer, "spring:session",
 *         LockSettings.defaults(), SessionLockListener.NONE);
 * SessionRepository<?> repository = sessions.repository();
 * }</pre>
 */
public final class LockingRedisSessions {

    private final SessionHashLockStore store;
    private final SpinLockProvider provider;
    private final LockingRedisSessionRepository repository;

    private LockingRedisSessions(
            SessionHashLockStore store, SpinLockProvider provider, LockingRedisSessionRepository repository) {
        this.store = store;
        this.provider = provider;
        this.repository = repository;
    }

    /**
     * The lock fields of the session hashes on {@code connectionFactory}, as a lock store (named {@value
     * SessionHashLockStore#NAME}), with hand-off announcements on a pub/sub connection when the factory is Lettuce's
     * and {@code settings} wake waiters by notification. Close it to close that connection. Build the repository with
     * {@link #create} on it, with the same settings.
     */
    public static LockStore lockStore(RedisConnectionFactory connectionFactory, LockSettings settings) {
        HandOffs handOffs = settings.wakeUp() == LockSettings.WakeUp.NOTIFY
                ? ConnectionFactoryHandOffs.of(connectionFactory)
                : null;
        SessionHashCommands commands = new SessionHashCommands(connectionFactory);
        return new SessionHashLockStore(
                commands, SessionHashExtensions.of(connectionFactory, commands), settings, handOffs);
    }

    /**
     * @param store a store from {@link #lockStore}; its connection factory is the repository's too
     * @param serializer the session serializer, the same as Spring Session's ({@code springSessionDefaultRedisSerializer}
     *     or JDK serialization)
     * @param namespace Spring Session's key namespace ({@code spring.session.data.redis.namespace})
     */
    public static LockingRedisSessions create(
            LockStore store,
            RedisSerializer<Object> serializer,
            String namespace,
            LockSettings settings,
            SessionLockListener listener) {
        Objects.requireNonNull(namespace, "namespace");
        if (!(store instanceof SessionHashLockStore hashStore)) {
            throw new IllegalArgumentException("The fused repository needs a store of LockingRedisSessions.lockStore");
        }
        String prefix = LockingRedisSessionRepository.sessionKeyPrefix(namespace);
        SpinLockProvider provider =
                new SpinLockProvider(hashStore, settings, listener, LockClock.SYSTEM, id -> prefix + id);
        LockingRedisSessionRepository repository = new LockingRedisSessionRepository(
                hashStore.commands(), hashStore, provider, new SessionHashCodec(serializer), namespace);
        return new LockingRedisSessions(hashStore, provider, repository);
    }

    /** The lock engine, whose locks are the lock fields of the session hashes. */
    public SpinLockProvider provider() {
        return provider;
    }

    /** The lock fields of the session hashes as a lock store (its name is {@value SessionHashLockStore#NAME}). */
    public LockStore store() {
        return store;
    }

    public LockingRedisSessionRepository repository() {
        return repository;
    }
}
