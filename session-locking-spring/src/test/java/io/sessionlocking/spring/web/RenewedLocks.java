package io.sessionlocking.spring.web;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.LockStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store that watches the extensions the renewer sends through it: the owner value each key was given, how many
 * extensions of one key were in flight at once (at most), and the longest time between two confirmed extensions of a
 * key (counted from when each was sent, as the lock counts them). For renewal tests.
 */
final class RenewedLocks extends ForwardingLockStore {

    final Map<String, String> owners = new ConcurrentHashMap<>();
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastConfirmedAt = new ConcurrentHashMap<>();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicLong longestGapNanos = new AtomicLong();

    RenewedLocks(LockStore delegate) {
        super(delegate);
    }

    @Override
    public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
        long sentAt = System.nanoTime();
        AttemptOutcome<Boolean> outcome = super.acquire(request);
        if (outcome instanceof AttemptOutcome.Acquired) {
            owners.put(request.key(), request.ownerValue());
            lastConfirmedAt.put(request.key(), new AtomicLong(sentAt));
        }
        return outcome;
    }

    @Override
    public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
        long sentAt = System.nanoTime();
        sent.increment();
        AtomicInteger pending = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
        mostInFlight.accumulateAndGet(pending.incrementAndGet(), Math::max);
        return super.extend(key, token, ttl, timeout).whenComplete((extended, failure) -> {
            pending.decrementAndGet();
            if (failure != null) {
                failed.increment();
            } else if (Boolean.TRUE.equals(extended)) {
                AtomicLong last = lastConfirmedAt.computeIfAbsent(key, k -> new AtomicLong(sentAt));
                long previous = last.getAndAccumulate(sentAt, Math::max);
                longestGapNanos.accumulateAndGet(sentAt - previous, Math::max);
            }
        });
    }

    /** The most extensions of one key that were in flight at the same time. */
    int mostInFlight() {
        return mostInFlight.get();
    }

    /** The longest time between two confirmed extensions of one key (or its acquisition and its first extension). */
    Duration longestGap() {
        return Duration.ofNanos(longestGapNanos.get());
    }

    /** The longest time since {@code key}'s last confirmed extension, now. */
    Duration sinceLastConfirmed(String key) {
        return Duration.ofNanos(System.nanoTime() - lastConfirmedAt.get(key).get());
    }
}
