package io.sessionlocking.core;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/** Calls a listener and keeps its failures away from the lock: a broken metrics binding must not break requests. */
final class SafeListener {

    private static final System.Logger LOG = System.getLogger(SafeListener.class.getName());

    private final SessionLockListener listener;

    SafeListener(SessionLockListener listener) {
        this.listener = listener;
    }

    void notify(Consumer<SessionLockListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "Session lock listener " + listener.getClass().getName() + " failed",
                    e);
        }
    }
}
