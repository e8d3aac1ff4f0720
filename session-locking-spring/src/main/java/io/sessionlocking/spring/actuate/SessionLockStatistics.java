package io.sessionlocking.spring.actuate;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockActivity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts and recent history of this node's session locks, for the {@code sessionlocks} endpoint and the health
 * details: totals since start, wait and hold times over the last minute (percentiles by Micrometer's time-window
 * histogram, see {@link RecentTimes}), the most contended sessions (by masked id) and the last failures, which
 * Micrometer does not keep. Memory is bounded: {@value #MAX_TRACKED_SESSIONS} contended sessions, {@value
 * #MAX_RECENT_FAILURES} failures, fixed-size histograms. Thread-safe; recording is a few counter and map
 * updates on the request thread.
 */
public final class SessionLockStatistics implements SessionLockListener, SessionLockActivity.Observer {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_TRACKED_SESSIONS = 1024;
    /** A wait this long counts as contention even after one attempt: longer than an uncontended round trip. */
    static final Duration CONTENDED_WAIT = Duration.ofMillis(2);

    static final int MAX_RECENT_FAILURES = 20;
    static final int TOP_CONTENDED = 10;

    /** One failed acquisition. */
    public record Failure(
            Instant time, String session, String method, String path, String reason, long waitedMs, int attempts) {}

    /** A session that made requests wait, over the window. */
    public record Contention(String session, long waits, double maxWaitMs) {}

    private final LongSupplier nanoTime;
    private final Clock clock;
    private final LongAdder acquired = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final Map<LockCouldNotBeAcquiredException.Reason, LongAdder> failures =
            new EnumMap<>(LockCouldNotBeAcquiredException.Reason.class);
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final RecentTimes waits;
    private final RecentTimes holds;
    private final Map<String, ContentionCounter> contention = new ConcurrentHashMap<>();
    private final Deque<Failure> lastFailures = new ArrayDeque<>();
    private final WindowedCount recentFailures;
    private final WindowedCount recentAttempts;

    public SessionLockStatistics() {
        this(System::nanoTime, Clock.systemUTC());
    }

    SessionLockStatistics(LongSupplier nanoTime, Clock clock) {
        this.nanoTime = nanoTime;
        this.clock = clock;
        for (LockCouldNotBeAcquiredException.Reason reason : LockCouldNotBeAcquiredException.Reason.values()) {
            failures.put(reason, new LongAdder());
        }
        for (String rule : List.of("method", "path", "bot", "decider")) {
            skipped.put(rule, new LongAdder());
        }
        this.waits = RecentTimes.create(WINDOW, nanoTime);
        this.holds = RecentTimes.create(WINDOW, nanoTime);
        this.recentFailures = new WindowedCount(WINDOW, nanoTime);
        this.recentAttempts = new WindowedCount(WINDOW, nanoTime);
    }

    private static final class ContentionCounter {
        final LongAdder waits = new LongAdder();
        volatile long maxWaitNanos;
        volatile long lastSeenNanos;
    }

    @Override
    public void onAcquired(Acquired event) {
        acquired.increment();
        waits.record(event.waited().toNanos());
        recentAttempts.increment();
        // More than one attempt, or a wait without one: a waiter handed the lock (by a release of this node, or by an
        // announced hand-off from another) asks the backend once, however long it waited.
        if (event.attempts() > 1 || event.waited().compareTo(CONTENDED_WAIT) >= 0) {
            contended(event.maskedSessionId(), event.waited());
        }
    }

    @Override
    public void onFailed(LockCouldNotBeAcquiredException exception) {
        failures.get(exception.reason()).increment();
        waits.record(exception.waited().toNanos());
        recentAttempts.increment();
        recentFailures.increment();
        contended(exception.maskedSessionId(), exception.waited());
        RequestSessionLock request = RequestSessionLock.current();
        Failure failure = new Failure(
                clock.instant(),
                exception.maskedSessionId(),
                request != null ? request.method() : "",
                request != null ? request.path() : "",
                exception.reason().name().toLowerCase(Locale.ROOT),
                exception.waited().toMillis(),
                exception.attempts());
        synchronized (lastFailures) {
            lastFailures.addFirst(failure);
            if (lastFailures.size() > MAX_RECENT_FAILURES) {
                lastFailures.removeLast();
            }
        }
    }

    @Override
    public void onReleased(Released event) {
        released.increment();
        holds.record(event.held().toNanos());
    }

    @Override
    public void onLost(Lost event) {
        lost.increment();
    }

    @Override
    public void onSkipped(String rule) {
        skipped.computeIfAbsent(rule, r -> new LongAdder()).increment();
    }

    private void contended(String session, Duration waited) {
        if (contention.size() >= MAX_TRACKED_SESSIONS && !contention.containsKey(session)) {
            evictStale();
            if (contention.size() >= MAX_TRACKED_SESSIONS) {
                return;
            }
        }
        ContentionCounter counter = contention.computeIfAbsent(session, s -> new ContentionCounter());
        counter.waits.increment();
        counter.maxWaitNanos = Math.max(counter.maxWaitNanos, waited.toNanos());
        counter.lastSeenNanos = nanoTime.getAsLong();
    }

    private void evictStale() {
        long now = nanoTime.getAsLong();
        contention.entrySet().removeIf(e -> now - e.getValue().lastSeenNanos > WINDOW.toNanos());
    }

    /** Acquisitions that succeeded since start. */
    public long acquired() {
        return acquired.sum();
    }

    public long released() {
        return released.sum();
    }

    public long lost() {
        return lost.sum();
    }

    /** Failed acquisitions since start, by reason (lower case), every reason present. */
    public Map<String, Long> failures() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        failures.forEach((reason, count) -> byReason.put(reason.name().toLowerCase(Locale.ROOT), count.sum()));
        return byReason;
    }

    public long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests served read-only since start, by rule. */
    public Map<String, Long> skipped() {
        Map<String, Long> byRule = new LinkedHashMap<>();
        skipped.forEach((rule, count) -> byRule.put(rule, count.sum()));
        return byRule;
    }

    TimePercentiles waitTimes() {
        return waits.snapshot();
    }

    TimePercentiles holdTimes() {
        return holds.snapshot();
    }

    /** Share of acquisitions in the window that failed, 0 to 1. */
    public double recentFailureRate() {
        long attempts = recentAttempts.count();
        return attempts == 0 ? 0 : Math.min(1.0, (double) recentFailures.count() / attempts);
    }

    /** The sessions that made requests wait most often in the window, most first. */
    public List<Contention> mostContended() {
        long now = nanoTime.getAsLong();
        List<Contention> top = new ArrayList<>();
        contention.forEach((session, counter) -> {
            if (now - counter.lastSeenNanos <= WINDOW.toNanos()) {
                top.add(new Contention(
                        session, counter.waits.sum(), Math.round(counter.maxWaitNanos / 10_000.0) / 100.0));
            }
        });
        top.sort(Comparator.comparingLong(Contention::waits).reversed());
        return top.size() > TOP_CONTENDED ? List.copyOf(top.subList(0, TOP_CONTENDED)) : top;
    }

    /** The last failures, newest first. */
    public List<Failure> recentFailures() {
        synchronized (lastFailures) {
            return List.copyOf(lastFailures);
        }
    }
}
