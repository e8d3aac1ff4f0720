package io.sessionlocking.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps every event, for assertions. Thread-safe. */
public final class RecordingListener implements SessionLockListener {

    public final List<Acquired> acquired = new CopyOnWriteArrayList<>();
    public final List<LockCouldNotBeAcquiredException> failed = new CopyOnWriteArrayList<>();
    public final List<Released> released = new CopyOnWriteArrayList<>();
    public final List<Lost> lost = new CopyOnWriteArrayList<>();
    public final List<LockStoreException> releaseFailures = new CopyOnWriteArrayList<>();

    @Override
    public void onAcquired(Acquired event) {
        acquired.add(event);
    }

    @Override
    public void onFailed(LockCouldNotBeAcquiredException exception) {
        failed.add(exception);
    }

    @Override
    public void onReleased(Released event) {
        released.add(event);
    }

    @Override
    public void onLost(Lost event) {
        lost.add(event);
    }

    @Override
    public void onReleaseFailed(Released event, LockStoreException cause) {
        releaseFailures.add(cause);
    }
}
