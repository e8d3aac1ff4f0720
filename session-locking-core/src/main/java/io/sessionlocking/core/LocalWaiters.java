package io.sessionlocking.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The requests of this JVM waiting for each session's lock, in arrival order. Only the first of a session's queue
 * polls the backend; the others wait for their turn without sending a command. When a lock of this JVM is released,
 * or the first waiter leaves, the next one is woken at once: within a JVM the lock passes in FIFO order with no
 * polling delay, and a newcomer cannot overtake a request that has waited longer. Across JVMs the backend decides.
 *
 * <p>Invariants, enforced by doing every change of a session's queue inside one {@link ConcurrentHashMap#compute} (which
 * serialises changes per key): a queue exists in the map exactly while it holds a waiter, so idle sessions cost
 * nothing; a queue never holds more than {@code maxPerKey} waiters. Reading the head ({@link #isFirst}) needs no lock,
 * since the queue itself is concurrent; a stale read only costs one extra turn of the waiter's loop.
 */
final class LocalWaiters {

    /** One waiting acquisition; identity matters, not equality. */
    static final class Waiter {
        private final Thread thread = Thread.currentThread();
        /** The owner value its attempts send now; set by its own thread, read by the hand-off listener. */
        volatile @Nullable String ownerValue;
        /** Set by the hand-off listener when the backend handed the lock to {@link #ownerValue}; reset by the waiter. */
        volatile boolean handedOver;
    }

    private final int maxPerKey;
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Waiter>> queues = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    LocalWaiters(int maxPerKey) {
        this.maxPerKey = maxPerKey;
    }

    /** Queues the calling thread for {@code key}; {@code null} (and nothing queued) when the queue is full. */
    @Nullable
    Waiter enter(String key) {
        Waiter waiter = new Waiter();
        boolean[] entered = {false};
        queues.compute(key, (k, queue) -> {
            ConcurrentLinkedDeque<Waiter> q = queue != null ? queue : new ConcurrentLinkedDeque<>();
            if (q.size() < maxPerKey) {
                q.addLast(waiter);
                entered[0] = true;
            }
            return q.isEmpty() ? null : q;
        });
        if (!entered[0]) {
            return null;
        }
        total.incrementAndGet();
        return waiter;
    }

    /** Whether {@code waiter} is the oldest waiter for {@code key}, the one whose turn it is to poll. */
    boolean isFirst(String key, Waiter waiter) {
        ConcurrentLinkedDeque<Waiter> queue = queues.get(key);
        return queue != null && queue.peekFirst() == waiter;
    }

    /** Removes a waiter that {@link #enter} queued, and wakes the next one if it was first. */
    void leave(String key, Waiter waiter) {
        boolean[] wasFirst = {false};
        queues.computeIfPresent(key, (k, queue) -> {
            wasFirst[0] = queue.peekFirst() == waiter;
            queue.remove(waiter);
            return queue.isEmpty() ? null : queue;
        });
        total.decrementAndGet();
        if (wasFirst[0]) {
            wakeFirst(key);
        }
    }

    /** Wakes the oldest waiter for {@code key}, if any, so that it polls now rather than after its pause. */
    void wakeFirst(String key) {
        ConcurrentLinkedDeque<Waiter> queue = queues.get(key);
        Waiter first = queue != null ? queue.peekFirst() : null;
        if (first != null) {
            LockSupport.unpark(first.thread);
        }
    }

    /**
     * The backend handed the lock at {@code key} to {@code ownerValue}: marks that waiter and wakes it at once. Does
     * nothing when no waiter of this JVM has that owner value (another JVM's, or one that gave up).
     */
    void handOver(String key, String ownerValue) {
        ConcurrentLinkedDeque<Waiter> queue = queues.get(key);
        if (queue == null) {
            return;
        }
        for (Waiter waiter : queue) {
            if (ownerValue.equals(waiter.ownerValue)) {
                waiter.handedOver = true;
                LockSupport.unpark(waiter.thread);
                return;
            }
        }
    }

    int total() {
        return total.get();
    }
}
