package io.sessionlocking.core;

import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The requests of this JVM waiting for each session's lock, in arrival order, and the two waiter caps. Only the first
 * of a session's queue polls the backend; the others wait for their turn without sending a command. When a lock of
 * this JVM is released, or the first waiter leaves, the next one is woken at once: within a JVM the lock passes in
 * FIFO order with no polling delay, and a newcomer cannot overtake a request that has waited longer. Across JVMs the
 * backend decides.
 *
 * <p>The caps. A request waits only in a waiting slot of this node, of which there are {@code maxPerNode}: a newcomer
 * behind other waiters of its session takes one on entry, the first of a session only once its first attempt found the
 * lock held (a request whose lock is free never waits, so it is never refused). And it waits only while its session's
 * waiters here plus those of other nodes, as the backend last reported them ({@link #reportedElsewhere}), are fewer than
 * {@code maxPerSession}. Refused requests fail at once, without a backend call.
 *
 * <p>Invariants, enforced by doing every change of a session's queue inside one {@link ConcurrentHashMap#compute} (which
 * serialises changes per key): a queue exists in the map exactly while it holds a waiter, so idle sessions cost
 * nothing, and a waiter's queue object stays the same while it is queued; a waiter takes at most one slot and gives it
 * back once, when it leaves; the slots in use never exceed {@code maxPerNode}, since a slot is reserved (compare-and-set)
 * before the waiter counts as waiting. Reading the head ({@link #isFirst}) needs no lock, since the queue itself is
 * concurrent; a stale read only costs one extra turn of the waiter's loop.
 */
final class LocalWaiters {

    /** {@link #failingSince} when the session's last backend call was answered. */
    static final long NOT_FAILING = Long.MIN_VALUE;

    /** One waiting acquisition; identity matters, not equality. */
    static final class Waiter {
        private final Thread thread = Thread.currentThread();
        private @Nullable SessionWaiters queue;
        /** Whether it holds a waiting slot; changed only by its own thread, inside its queue's compute. */
        private boolean waiting;
        /** The owner value its attempts send now; set by its own thread, read by the hand-off listener. */
        volatile @Nullable String ownerValue;
        /** Set by the hand-off listener when the backend handed the lock to {@link #ownerValue}; reset by the waiter. */
        volatile boolean handedOver;
        /** Set before it is unparked by a release, a hand-off or the first leaving; reset by the waiter. */
        volatile boolean woken;

        boolean isWaiting() {
            return waiting;
        }
    }

    /** One session's waiters on this node, oldest first, and what this node knows of the session elsewhere. */
    private static final class SessionWaiters {
        final ConcurrentLinkedDeque<Waiter> queue = new ConcurrentLinkedDeque<>();
        /**
         * The queue's size; changed only inside compute (the deque's own size() walks it), read outside it by the
         * first waiter's report, hence volatile.
         */
        volatile int size;
        /** The other nodes' waiters for this session, as the last answered attempt reported them. */
        volatile int elsewhere;
        /** When the first call of the session's current failing streak was sent, or {@link #NOT_FAILING}. */
        volatile long failingSince = NOT_FAILING;
    }

    private final int maxPerSession;
    private final int maxPerNode;
    private final ConcurrentHashMap<String, SessionWaiters> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger slotsInUse = new AtomicInteger();

    LocalWaiters(int maxPerSession, int maxPerNode) {
        this.maxPerSession = maxPerSession;
        this.maxPerNode = maxPerNode;
    }

    /** What {@link #enter} made of a newcomer: queued ({@code waiter}), or refused ({@code refusal}). */
    record Entry(@Nullable Waiter waiter, @Nullable Reason refusal) {}

    /**
     * Queues the calling thread for {@code key}: as the first, without a slot yet, when nobody of this node waits for
     * the session; behind the others, in a slot, while both caps allow it; else nothing is queued and the entry tells
     * which cap refused it.
     */
    Entry enter(String key) {
        Waiter waiter = new Waiter();
        Reason[] refusal = {null};
        sessions.compute(key, (k, existing) -> {
            SessionWaiters session = existing != null ? existing : new SessionWaiters();
            if (session.size > 0) {
                refusal[0] = admit(session, session.size);
                if (refusal[0] != null) {
                    return session;
                }
                waiter.waiting = true;
            }
            session.queue.addLast(waiter);
            session.size++;
            waiter.queue = session;
            return session;
        });
        return refusal[0] != null ? new Entry(null, refusal[0]) : new Entry(waiter, null);
    }

    /**
     * The first waiter of a session found the lock held: it may wait only in a slot and within the session's cap, as
     * a newcomer behind others would. {@code null} when it may (it then holds a slot), else the cap that refuses it.
     */
    @Nullable
    Reason startWaiting(String key, Waiter waiter) {
        if (waiter.waiting) {
            return null;
        }
        Reason[] refusal = {null};
        sessions.computeIfPresent(key, (k, session) -> {
            refusal[0] = admit(session, session.size - 1);
            if (refusal[0] == null) {
                waiter.waiting = true;
            }
            return session;
        });
        return refusal[0];
    }

    /** Whether one more may wait behind {@code ahead} waiters of its session here; called inside compute. */
    private @Nullable Reason admit(SessionWaiters session, int ahead) {
        if (ahead + session.elsewhere >= maxPerSession) {
            return Reason.TOO_MANY_WAITERS;
        }
        // Reserve before counting the waiter as waiting, so that the slots in use never exceed the cap.
        for (int used = slotsInUse.get(); ; used = slotsInUse.get()) {
            if (used >= maxPerNode) {
                return Reason.NODE_SATURATED;
            }
            if (slotsInUse.compareAndSet(used, used + 1)) {
                return null;
            }
        }
    }

    /** Whether {@code waiter} is the oldest waiter for {@code key}, the one whose turn it is to poll. */
    boolean isFirst(Waiter waiter) {
        return queueOf(waiter).queue.peekFirst() == waiter;
    }

    /** This node's waiters for the waiter's session, the waiter included: what its attempts report to the backend. */
    int count(Waiter waiter) {
        return Math.max(queueOf(waiter).size, 1);
    }

    /** Records the other nodes' waiters for the waiter's session, as an answered attempt reported them. */
    void reportedElsewhere(Waiter waiter, int elsewhere) {
        queueOf(waiter).elsewhere = Math.max(elsewhere, 0);
    }

    /** When the session's current failing streak began ({@link #NOT_FAILING} when the last call was answered). */
    long failingSince(Waiter waiter) {
        return queueOf(waiter).failingSince;
    }

    /** A backend call for the waiter's session, sent at {@code sentAt}, failed: starts a streak if none is running. */
    void failed(Waiter waiter, long sentAt) {
        SessionWaiters session = queueOf(waiter);
        if (session.failingSince == NOT_FAILING) {
            session.failingSince = sentAt;
        }
    }

    /** A backend call for the waiter's session was answered: the streak, if any, is over. */
    void answered(Waiter waiter) {
        queueOf(waiter).failingSince = NOT_FAILING;
    }

    /** Removes a waiter that {@link #enter} queued, gives its slot back, and wakes the next one if it was first. */
    void leave(String key, Waiter waiter) {
        boolean[] wasFirst = {false};
        sessions.computeIfPresent(key, (k, session) -> {
            wasFirst[0] = session.queue.peekFirst() == waiter;
            if (session.queue.remove(waiter)) {
                session.size--;
                if (waiter.waiting) {
                    slotsInUse.decrementAndGet();
                    waiter.waiting = false;
                }
            }
            return session.size == 0 ? null : session;
        });
        if (wasFirst[0]) {
            wakeFirst(key);
        }
    }

    /** Wakes the oldest waiter for {@code key}, if any, so that it polls now rather than after its pause. */
    void wakeFirst(String key) {
        SessionWaiters session = sessions.get(key);
        Waiter first = session != null ? session.queue.peekFirst() : null;
        if (first != null) {
            wake(first);
        }
    }

    /**
     * Wakes every waiter for {@code key}: they look at the session again now (e.g. to see that its backend is down)
     * rather than after their pause.
     */
    void wakeAll(String key) {
        SessionWaiters session = sessions.get(key);
        if (session != null) {
            session.queue.forEach(LocalWaiters::wake);
        }
    }

    /**
     * The backend handed the lock at {@code key} to {@code ownerValue}: marks that waiter and wakes it at once. Does
     * nothing when no waiter of this JVM has that owner value (another JVM's, or one that gave up).
     */
    void handOver(String key, String ownerValue) {
        SessionWaiters session = sessions.get(key);
        if (session == null) {
            return;
        }
        for (Waiter waiter : session.queue) {
            if (ownerValue.equals(waiter.ownerValue)) {
                waiter.handedOver = true;
                wake(waiter);
                return;
            }
        }
    }

    /** Requests of this node waiting for a held lock now (the slots in use). */
    int waiting() {
        return slotsInUse.get();
    }

    private static void wake(Waiter waiter) {
        waiter.woken = true; // before the unpark, so that a waiter not parked yet sees it and does not park
        LockSupport.unpark(waiter.thread);
    }

    private static SessionWaiters queueOf(Waiter waiter) {
        SessionWaiters session = waiter.queue;
        if (session == null) {
            throw new IllegalStateException("The waiter is not queued");
        }
        return session;
    }
}
