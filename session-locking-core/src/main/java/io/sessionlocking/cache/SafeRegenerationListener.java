package io.sessionlocking.cache;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * Forwards events to listeners in order and keeps their failures away from the caller: a broken metrics binding must
 * not break a cache read.
 */
final class SafeRegenerationListener implements RegenerationListener {

    private static final System.Logger LOG = System.getLogger(SafeRegenerationListener.class.getName());

    private final List<RegenerationListener> listeners;

    SafeRegenerationListener(List<RegenerationListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private interface Event {
        void send(RegenerationListener listener);
    }

    private void notifyAll(Event event) {
        for (RegenerationListener listener : listeners) {
            try {
                event.send(listener);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Cache regeneration listener " + listener.getClass().getName() + " failed",
                        e);
            }
        }
    }

    @Override
    public void onGuardCreated(String cache) {
        notifyAll(listener -> listener.onGuardCreated(cache));
    }

    @Override
    public void onHit(String cache, Hit hit) {
        notifyAll(listener -> listener.onHit(cache, hit));
    }

    @Override
    public void onStaleServed(String cache, StaleReason reason) {
        notifyAll(listener -> listener.onStaleServed(cache, reason));
    }

    @Override
    public void onRegenerated(String cache, Trigger trigger, Outcome outcome, Duration took) {
        notifyAll(listener -> listener.onRegenerated(cache, trigger, outcome, took));
    }

    @Override
    public void onWaited(String cache, WaitOutcome outcome, Duration waited) {
        notifyAll(listener -> listener.onWaited(cache, outcome, waited));
    }

    @Override
    public void onBackendFailure(String cache, RuntimeException failure) {
        notifyAll(listener -> listener.onBackendFailure(cache, failure));
    }
}
