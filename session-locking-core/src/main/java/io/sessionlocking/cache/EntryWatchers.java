package io.sessionlocking.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A node's {@link EntryStore#watch watchers} of entries, for stores to implement {@code watch} and to signal a change
 * of an entry. Thread-safe.
 *
 * <p>Invariant, enforced by changing a key's set only inside {@link ConcurrentHashMap#compute} (serialised per key):
 * a key's set is in the map exactly while it holds a watcher, and a watcher is never added to a set that a closing
 * watch has just dropped from the map (it would hear nothing, and its waiter would fall back to polling).
 */
public final class EntryWatchers {

    private final ConcurrentHashMap<EntryKey, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    /** Calls {@code onChange} on every {@link #changed} of {@code key} until the result is closed. */
    public EntryStore.Watch watch(byte[] key, Runnable onChange) {
        EntryKey watched = new EntryKey(key.clone());
        watchers.compute(watched, (k, set) -> {
            Set<Runnable> current = set != null ? set : new CopyOnWriteArraySet<>();
            current.add(onChange);
            return current;
        });
        return () -> watchers.computeIfPresent(watched, (k, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    /** Runs the watchers of {@code key} on the calling thread; they must be quick. */
    public void changed(byte[] key) {
        Set<Runnable> listeners = watchers.get(new EntryKey(key));
        if (listeners != null) {
            for (Runnable listener : List.copyOf(listeners)) {
                listener.run();
            }
        }
    }
}
