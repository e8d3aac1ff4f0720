package io.sessionlocking.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests waiting for each session's lock in this JVM and refuses one more than the limit.
 *
 * <p>Invariant: a key's entry exists exactly while its count is above zero; {@link ConcurrentHashMap#compute} makes
 * each enter and leave atomic per key, so the map never grows with idle sessions.
 */
final class WaiterLimit {

    private final int maxPerKey;
    private final ConcurrentHashMap<String, Integer> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    WaiterLimit(int maxPerKey) {
        this.maxPerKey = maxPerKey;
    }

    /** Registers a waiter for {@code key}; {@code false} (and nothing registered) when the key is at the limit. */
    boolean tryEnter(String key) {
        boolean[] entered = {false};
        waiters.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerKey) {
                return count;
            }
            entered[0] = true;
            return current + 1;
        });
        if (entered[0]) {
            total.incrementAndGet();
        }
        return entered[0];
    }

    /** Unregisters a waiter that {@link #tryEnter} registered. */
    void leave(String key) {
        waiters.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
        total.decrementAndGet();
    }

    int total() {
        return total.get();
    }
}
