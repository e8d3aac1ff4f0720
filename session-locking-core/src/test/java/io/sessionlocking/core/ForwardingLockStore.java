package io.sessionlocking.core;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** A store that forwards every call to another; tests override the calls they want to observe or break. */
public abstract class ForwardingLockStore implements LockStore {

    private final LockStore delegate;

    protected ForwardingLockStore(LockStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
        return delegate.acquire(request);
    }

    @Override
    public void leave(String key, String token, Duration ttl, Duration timeout) {
        delegate.leave(key, token, ttl, timeout);
    }

    @Override
    public @Nullable HandOffs handOffs() {
        return delegate.handOffs();
    }

    @Override
    public boolean release(String key, String token, Duration ttl, Duration timeout) {
        return delegate.release(key, token, ttl, timeout);
    }

    @Override
    public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
        return delegate.extend(key, token, ttl, timeout);
    }

    @Override
    public boolean isHeld(String key, String token, Duration timeout) {
        return delegate.isHeld(key, token, timeout);
    }

    @Override
    public @Nullable StoredLock describe(String key, Duration timeout) {
        return delegate.describe(key, timeout);
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
