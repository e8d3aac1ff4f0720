package io.sessionlocking.core;

import java.util.List;

/** Forwards every event to several listeners, in order; one failing listener does not keep the others from it. */
final class CompositeSessionLockListener implements SessionLockListener {

    private final List<SafeListener> listeners;

    CompositeSessionLockListener(List<SessionLockListener> listeners) {
        this.listeners = listeners.stream().map(SafeListener::new).toList();
    }

    @Override
    public void onAcquired(Acquired event) {
        listeners.forEach(l -> l.notify(x -> x.onAcquired(event)));
    }

    @Override
    public void onFailed(LockCouldNotBeAcquiredException exception) {
        listeners.forEach(l -> l.notify(x -> x.onFailed(exception)));
    }

    @Override
    public void onReleased(Released event) {
        listeners.forEach(l -> l.notify(x -> x.onReleased(event)));
    }

    @Override
    public void onLost(Lost event) {
        listeners.forEach(l -> l.notify(x -> x.onLost(event)));
    }

    @Override
    public void onReleaseFailed(Released event, LockStoreException cause) {
        listeners.forEach(l -> l.notify(x -> x.onReleaseFailed(event, cause)));
    }
}
