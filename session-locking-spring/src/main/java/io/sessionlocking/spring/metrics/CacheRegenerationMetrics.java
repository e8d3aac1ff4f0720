package io.sessionlocking.spring.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sessionlocking.cache.RegenerationListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Records cache regeneration events as Micrometer meters. Every meter is tagged {@code cache} (the cache's name,
 * never a key) plus at most two tags with a small, fixed set of values. Thread-safe; recording is a map look-up.
 */
public final class CacheRegenerationMetrics implements RegenerationListener {

    /** Timer of the loader runs, tagged {@code trigger} (miss, stale, early) and {@code outcome}. */
    public static final String REGENERATION = "cache.regeneration";
    /** Counter of stale copies served, tagged {@code reason} (revalidating, error, timeout). */
    public static final String STALE_SERVED = "cache.regeneration.stale.served";
    /** Timer of the waits for another caller's regeneration, tagged {@code outcome} (value, failed, timeout). */
    public static final String WAIT = "cache.regeneration.wait";
    /** Gauge of the callers waiting for another caller's regeneration on this node now. */
    public static final String WAITERS = "cache.regeneration.waiters";
    /** Gauge of the loaders running on this node now. */
    public static final String ACTIVE = "cache.regeneration.active";
    /** Counter of Redis commands of the guard that failed or timed out. */
    public static final String BACKEND_FAILURES = "cache.regeneration.backend.failures";

    private final MeterRegistry registry;
    private final ToIntFunction<String> waiting;
    private final ToIntFunction<String> active;
    private final Map<String, Timer> regenerations = new ConcurrentHashMap<>();
    private final Map<String, Counter> staleServed = new ConcurrentHashMap<>();
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();
    private final Map<String, Counter> backendFailures = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gauged = new ConcurrentHashMap<>();

    /**
     * @param waiting the waiters of a cache now, by name
     * @param active the loaders of a cache running now, by name
     */
    public CacheRegenerationMetrics(
            MeterRegistry registry, ToIntFunction<String> waiting, ToIntFunction<String> active) {
        this.registry = registry;
        this.waiting = waiting;
        this.active = active;
    }

    @Override
    public void onGuardCreated(String cache) {
        gauged.computeIfAbsent(cache, name -> {
            Gauge.builder(WAITERS, () -> waiting.applyAsInt(name))
                    .description("Callers waiting for another caller's regeneration of a cache entry now")
                    .tag("cache", name)
                    .register(registry);
            Gauge.builder(ACTIVE, () -> active.applyAsInt(name))
                    .description("Cache entry regenerations running on this node now")
                    .tag("cache", name)
                    .register(registry);
            return Boolean.TRUE;
        });
    }

    @Override
    public void onStaleServed(String cache, StaleReason reason) {
        String tag = lower(reason);
        staleServed
                .computeIfAbsent(
                        cache + '\0' + tag,
                        k -> Counter.builder(STALE_SERVED)
                                .description("Stale cache entries served")
                                .tags(Tags.of("cache", cache, "reason", tag))
                                .register(registry))
                .increment();
    }

    @Override
    public void onRegenerated(String cache, Trigger trigger, Outcome outcome, Duration took) {
        String triggerTag = lower(trigger);
        String outcomeTag = lower(outcome);
        regenerations
                .computeIfAbsent(
                        cache + '\0' + triggerTag + '\0' + outcomeTag,
                        k -> Timer.builder(REGENERATION)
                                .description("Cache entry regenerations: how long the loader ran")
                                .tags(Tags.of("cache", cache, "trigger", triggerTag, "outcome", outcomeTag))
                                .register(registry))
                .record(took);
    }

    @Override
    public void onWaited(String cache, WaitOutcome outcome, Duration waited) {
        String tag = lower(outcome);
        waits.computeIfAbsent(
                        cache + '\0' + tag,
                        k -> Timer.builder(WAIT)
                                .description("Waits for another caller's regeneration of a cache entry")
                                .tags(Tags.of("cache", cache, "outcome", tag))
                                .register(registry))
                .record(waited);
    }

    @Override
    public void onBackendFailure(String cache, RuntimeException failure) {
        backendFailures
                .computeIfAbsent(
                        cache,
                        k -> Counter.builder(BACKEND_FAILURES)
                                .description("Redis commands of the cache guard that failed or timed out")
                                .tag("cache", cache)
                                .register(registry))
                .increment();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
