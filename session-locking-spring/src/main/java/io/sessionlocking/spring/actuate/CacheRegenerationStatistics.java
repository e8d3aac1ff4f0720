package io.sessionlocking.spring.actuate;

import io.sessionlocking.cache.RegenerationListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Totals of this node's cache regenerations since start, per cache, for the {@code cacheregenerations} endpoint.
 * Memory is bounded by the number of caches. Thread-safe; recording is a few counter updates.
 */
public final class CacheRegenerationStatistics implements RegenerationListener {

    private final Map<String, Totals> byCache = new ConcurrentHashMap<>();

    /** One cache's counters. */
    private static final class Totals {
        final LongAdder regenerations = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder lost = new LongAdder();
        final LongAdder earlyRefreshes = new LongAdder();
        final LongAdder freshHits = new LongAdder();
        final LongAdder staleRevalidating = new LongAdder();
        final LongAdder staleOnError = new LongAdder();
        final LongAdder staleOnTimeout = new LongAdder();
        final LongAdder waitsWithValue = new LongAdder();
        final LongAdder waitsFailed = new LongAdder();
        final LongAdder waitsTimedOut = new LongAdder();
        final LongAdder backendFailures = new LongAdder();
        volatile long lastRegenerationMs = -1;
        volatile long maxRegenerationMs = -1;
    }

    private Totals totals(String cache) {
        return byCache.computeIfAbsent(cache, name -> new Totals());
    }

    @Override
    public void onGuardCreated(String cache) {
        totals(cache);
    }

    @Override
    public void onHit(String cache, Hit hit) {
        if (hit == Hit.FRESH) {
            totals(cache).freshHits.increment();
        }
    }

    @Override
    public void onStaleServed(String cache, StaleReason reason) {
        Totals totals = totals(cache);
        switch (reason) {
            case REVALIDATING -> totals.staleRevalidating.increment();
            case ERROR -> totals.staleOnError.increment();
            case TIMEOUT -> totals.staleOnTimeout.increment();
        }
    }

    @Override
    public void onRegenerated(String cache, Trigger trigger, Outcome outcome, Duration took) {
        Totals totals = totals(cache);
        switch (outcome) {
            case SUCCESS -> totals.regenerations.increment();
            case FAILURE -> totals.failures.increment();
            case LOST -> totals.lost.increment();
        }
        if (trigger == Trigger.EARLY) {
            totals.earlyRefreshes.increment();
        }
        long millis = took.toMillis();
        totals.lastRegenerationMs = millis;
        if (millis > totals.maxRegenerationMs) {
            totals.maxRegenerationMs = millis;
        }
    }

    @Override
    public void onWaited(String cache, WaitOutcome outcome, Duration waited) {
        Totals totals = totals(cache);
        switch (outcome) {
            case VALUE -> totals.waitsWithValue.increment();
            case FAILED -> totals.waitsFailed.increment();
            case TIMEOUT -> totals.waitsTimedOut.increment();
        }
    }

    @Override
    public void onBackendFailure(String cache, RuntimeException failure) {
        totals(cache).backendFailures.increment();
    }

    /** Regenerations stored on this node for {@code cache} since start. */
    public long regenerations(String cache) {
        Totals totals = byCache.get(cache);
        return totals != null ? totals.regenerations.sum() : 0;
    }

    /** Every cache's totals, by name, in a stable order. */
    public Map<String, Map<String, Object>> report() {
        Map<String, Map<String, Object>> report = new TreeMap<>();
        byCache.forEach((cache, totals) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("regenerations", totals.regenerations.sum());
            row.put("failures", totals.failures.sum());
            row.put("lost", totals.lost.sum());
            row.put("earlyRefreshes", totals.earlyRefreshes.sum());
            row.put("freshHits", totals.freshHits.sum());
            Map<String, Object> stale = new LinkedHashMap<>();
            stale.put("revalidating", totals.staleRevalidating.sum());
            stale.put("error", totals.staleOnError.sum());
            stale.put("timeout", totals.staleOnTimeout.sum());
            row.put("staleServed", stale);
            Map<String, Object> waits = new LinkedHashMap<>();
            waits.put("value", totals.waitsWithValue.sum());
            waits.put("failed", totals.waitsFailed.sum());
            waits.put("timeout", totals.waitsTimedOut.sum());
            row.put("waits", waits);
            row.put("backendFailures", totals.backendFailures.sum());
            row.put("lastRegenerationMs", totals.lastRegenerationMs);
            row.put("maxRegenerationMs", totals.maxRegenerationMs);
            report.put(cache, row);
        });
        return report;
    }
}
