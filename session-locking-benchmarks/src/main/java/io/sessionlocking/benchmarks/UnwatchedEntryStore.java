package io.sessionlocking.benchmarks;

import io.sessionlocking.cache.EntryStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** An entry store whose waiters get no notifications: the guard as it would be with polling alone. */
final class UnwatchedEntryStore implements EntryStore {

    private final EntryStore delegate;

    UnwatchedEntryStore(EntryStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Read read(byte[] key, ReadRequest request, Duration timeout) throws InterruptedException {
        return delegate.read(key, request, timeout);
    }

    @Override
    public boolean fill(byte[] key, String token, byte[] value, Expiry expiry, Duration delta, Duration timeout) {
        return delegate.fill(key, token, value, expiry, delta, timeout);
    }

    @Override
    public void put(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
        delegate.put(key, value, expiry, timeout);
    }

    @Override
    public byte @Nullable [] putIfAbsent(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
        return delegate.putIfAbsent(key, value, expiry, timeout);
    }

    @Override
    public boolean fail(byte[] key, String token, Duration timeout) {
        return delegate.fail(key, token, timeout);
    }

    @Override
    public boolean release(byte[] key, String token, Duration timeout) {
        return delegate.release(key, token, timeout);
    }

    @Override
    public boolean extend(byte[] key, String token, Duration lockTtl, Duration timeout) {
        return delegate.extend(key, token, lockTtl, timeout);
    }

    @Override
    public boolean markStale(byte[] key, Expiry expiry, Duration timeout) {
        return delegate.markStale(key, expiry, timeout);
    }

    @Override
    public boolean evict(byte[] key, Duration timeout) {
        return delegate.evict(key, timeout);
    }

    @Override
    public Watch watch(byte[] key, Runnable onChange) {
        return () -> {};
    }

    @Override
    public String name() {
        return delegate.name() + "-polling";
    }
}
