package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.LockStore;
import io.sessionlocking.redis.LettuceLockStores;
import java.time.Duration;

/**
 * The Lettuce lock store on a dedicated connection of the application's Redis client; closing it closes that
 * connection only.
 */
final class ConnectionFactoryLockStore implements LockStore, AutoCloseable {

    private final LettuceLockStores.Managed managed;
    private final LockStore store;

    ConnectionFactoryLockStore(LettuceLockStores.Managed managed) {
        this.managed = managed;
        this.store = managed.store();
    }

    @Override
    public boolean tryAcquire(String key, String token, Duration ttl, Duration timeout) throws InterruptedException {
        return store.tryAcquire(key, token, ttl, timeout);
    }

    @Override
    public boolean release(String key, String token, Duration timeout) {
        return store.release(key, token, timeout);
    }

    @Override
    public boolean extend(String key, String token, Duration ttl, Duration timeout) {
        return store.extend(key, token, ttl, timeout);
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        return store.isHeld(key, token, timeout);
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public void close() {
        managed.close();
    }
}
