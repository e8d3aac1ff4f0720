package io.sessionlocking.spring.actuate;

import io.sessionlocking.cache.InFlightRegeneration;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.spring.cache.CacheRegeneration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code cacheregenerations} endpoint: the guard's configuration, per-cache totals of this node (regenerations,
 * failures, stale copies served, waits), who waits now and which loaders run now, with their keys. Read-only. Keys
 * are the application's cache keys, shown cut to 120 characters; values are never shown.
 */
@Endpoint(id = "cacheregenerations", defaultAccess = Access.READ_ONLY)
public class CacheRegenerationsEndpoint {

    private final CacheRegeneration regeneration;
    private final CacheRegenerationStatistics statistics;
    private final Map<String, Object> configuration;

    public CacheRegenerationsEndpoint(
            CacheRegeneration regeneration, CacheRegenerationStatistics statistics, List<String> cacheNames) {
        this.regeneration = regeneration;
        this.statistics = statistics;
        this.configuration = configuration(regeneration, cacheNames);
    }

    /** The whole report. */
    public record Report(
            Map<String, Object> configuration,
            Map<String, Map<String, Object>> caches,
            Map<String, Integer> waitingNow,
            List<Running> inFlight) {}

    /** A loader running on this node now. */
    public record Running(String cache, String key, String trigger, long forMs) {}

    @ReadOperation
    public Report report() {
        List<Running> running = regeneration.inFlight().stream()
                .map(CacheRegenerationsEndpoint::describe)
                .toList();
        return new Report(configuration, statistics.report(), regeneration.waiting(), running);
    }

    private static Running describe(InFlightRegeneration entry) {
        return new Running(
                entry.cache(),
                entry.key(),
                entry.trigger().name().toLowerCase(Locale.ROOT),
                entry.running().toMillis());
    }

    private static Map<String, Object> configuration(CacheRegeneration regeneration, List<String> cacheNames) {
        RegenerationSettings settings = regeneration.settings();
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("backend", regeneration.backend());
        configuration.put("cacheNames", cacheNames.isEmpty() ? "all" : List.copyOf(cacheNames));
        configuration.put(
                "staleWhileRevalidateMs", settings.staleWhileRevalidate().toMillis());
        configuration.put("staleIfErrorMs", settings.staleIfError().toMillis());
        configuration.put("lockTtlMs", settings.lockTtl().toMillis());
        configuration.put("maxLoadTimeMs", settings.maxLoadTime().toMillis());
        configuration.put("waitTimeoutMs", settings.waitTimeout().toMillis());
        configuration.put("pollIntervalMs", settings.pollInterval().toMillis());
        configuration.put("commandTimeoutMs", settings.commandTimeout().toMillis());
        configuration.put("earlyRefresh", settings.earlyRefresh());
        configuration.put("earlyRefreshBeta", settings.earlyRefreshBeta());
        configuration.put("backgroundRefresh", settings.backgroundRefresh());
        configuration.put("onBackendFailure", settings.onBackendFailure().name().toLowerCase(Locale.ROOT));
        return Collections.unmodifiableMap(configuration);
    }
}
