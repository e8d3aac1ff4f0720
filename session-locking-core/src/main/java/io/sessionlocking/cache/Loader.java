package io.sessionlocking.cache;

/** Computes a value to cache: the expensive work a {@link RegenerationGuard} runs once per key across all nodes. */
@FunctionalInterface
public interface Loader<V> {

    /** The value; never {@code null}. An exception fails this regeneration and is rethrown to this caller. */
    V load() throws Exception;
}
