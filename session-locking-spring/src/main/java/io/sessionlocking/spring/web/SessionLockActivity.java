package io.sessionlocking.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node's requests do with session locks right now: who waits, who holds, and which requests were served
 * read-only. Feeds the {@code sessionlocks} endpoint and the {@code session.lock.active} metric; {@link Observer}s
 * hear of every change.
 *
 * <p>Entries carry the masked session id, the request method and path, never the full id. Registration and removal
 * are single concurrent-set operations, so readers see a consistent enough snapshot without locking the request path.
 * Thread-safe.
 */
public final class SessionLockActivity {

    /**
     * One waiting or holding request. Compared by identity, not by value: two requests of one session that started in
     * the same nanosecond are still two entries.
     */
    public static final class Entry {

        private final String maskedSessionId;
        private final String method;
        private final String path;
        private final long startedNanos;

        Entry(String maskedSessionId, String method, String path, long startedNanos) {
            this.maskedSessionId = maskedSessionId;
            this.method = method;
            this.path = path;
            this.startedNanos = startedNanos;
        }

        public String maskedSessionId() {
            return maskedSessionId;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        public long startedNanos() {
            return startedNanos;
        }

        /** How long it has been waiting or holding. */
        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    /** Hears of holds starting and ending and of requests served read-only. Must be quick and not block. */
    public interface Observer {

        default void onHoldStarted(Entry entry) {}

        default void onHoldEnded(Entry entry) {}

        /** A request was served read-only by the named rule ({@code method}, {@code path}, {@code bot}, ...). */
        default void onSkipped(String rule) {}

        /**
         * A request's session store failed ({@link SessionStoreUnavailableException}): answered 503, or, when {@code
         * committed}, after its response was committed (the response stood).
         */
        default void onStoreFailed(boolean committed) {}
    }

    private final Set<Entry> waiting = ConcurrentHashMap.newKeySet();
    private final Set<Entry> holding = ConcurrentHashMap.newKeySet();
    private final List<Observer> observers;

    public SessionLockActivity(List<Observer> observers) {
        this.observers = List.copyOf(observers);
    }

    Entry startWaiting(String maskedSessionId, RequestSessionLock request) {
        Entry entry = new Entry(maskedSessionId, request.method(), request.path(), System.nanoTime());
        waiting.add(entry);
        return entry;
    }

    void endWaiting(Entry entry) {
        waiting.remove(entry);
    }

    Entry startHolding(String maskedSessionId, RequestSessionLock request) {
        Entry entry = new Entry(maskedSessionId, request.method(), request.path(), System.nanoTime());
        holding.add(entry);
        try {
            observers.forEach(observer -> observer.onHoldStarted(entry));
        } catch (RuntimeException e) {
            holding.remove(entry); // the caller releases the lock: it is not held
            throw e;
        }
        return entry;
    }

    void endHolding(Entry entry) {
        if (holding.remove(entry)) {
            observers.forEach(observer -> observer.onHoldEnded(entry));
        }
    }

    void skipped(String rule) {
        observers.forEach(observer -> observer.onSkipped(rule));
    }

    void storeFailed(boolean committed) {
        for (Observer observer : observers) {
            try {
                observer.onStoreFailed(committed);
            } catch (RuntimeException e) {
                // The request is being answered 503: an observer that throws must not turn that into an error page.
            }
        }
    }

    /** Requests waiting for a lock now, longest first. */
    public List<Entry> waitingNow() {
        return oldestFirst(waiting);
    }

    /** Requests holding a lock now, longest first. */
    public List<Entry> holdingNow() {
        return oldestFirst(holding);
    }

    private static List<Entry> oldestFirst(Set<Entry> entries) {
        List<Entry> snapshot = new ArrayList<>(entries);
        snapshot.sort(Comparator.comparingLong(Entry::startedNanos));
        return snapshot;
    }
}
