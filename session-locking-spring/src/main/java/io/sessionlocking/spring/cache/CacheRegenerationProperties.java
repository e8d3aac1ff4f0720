package io.sessionlocking.spring.cache;

import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.RegenerationSettings.OnBackendFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration properties of stampede-safe cache regeneration, under {@value #PREFIX}. Defaults are the core's
 * ({@link RegenerationSettings}); {@link #toSettings()} is the one place where the properties become core settings.
 *
 * <p>Bound as {@code SessionLockingProperties.getCache()}, so that one class owns the {@code session-locking} prefix
 * and its check for misspelt keys knows these too; a class of its own all the same, since the guard needs neither
 * Spring Session nor the session lock: {@code session-locking.enabled} and {@code session-locking.handler} do not
 * switch it, {@code session-locking.cache.enabled} alone does.
 */
// Defaults are literals, which the configuration processor records for the IDE; CacheRegenerationPropertiesTests keeps
// them equal to RegenerationSettings' DEFAULT_* constants.
public class CacheRegenerationProperties {

    public static final String PREFIX = "session-locking.cache";

    /**
     * Whether to make the Redis caches of Spring Boot's RedisCacheManager regenerate once per key across all nodes
     * (@Cacheable(sync = true)). Their entries become Redis hashes, so every node of a cache must have it on.
     */
    private boolean enabled = false;

    /** Names of the caches to guard; empty guards every cache of the RedisCacheManager. */
    private List<String> cacheNames = new ArrayList<>();

    /** How long after its expiry an entry is still served at once while one caller regenerates it. */
    private Duration staleWhileRevalidate = Duration.ZERO;

    /** How long after its expiry an entry is served instead of an error when its regeneration fails or times out. */
    private Duration staleIfError = Duration.ZERO;

    /** Time-to-live of a regeneration lock, renewed every third of it while the loader runs. */
    private Duration lockTtl = Duration.ofSeconds(10);

    /** Longest time the lock of one regeneration is renewed; the next caller regenerates once it then expires. */
    private Duration maxLoadTime = Duration.ofMinutes(1);

    /** Longest time a caller without a copy waits for another caller's regeneration. */
    private Duration waitTimeout = Duration.ofSeconds(10);

    /** Pause between two looks at Redis of a waiting node when no fill notification arrives first. */
    private Duration pollInterval = Duration.ofMillis(100);

    /** Longest time one Redis command of the guard may take. */
    private Duration commandTimeout = Duration.ofSeconds(1);

    /** Whether callers may refresh a fresh entry early, with the XFetch probability. */
    private boolean earlyRefresh = false;

    /** XFetch's beta, in (0, 100]: larger values refresh earlier. */
    private double earlyRefreshBeta = 1.0;

    /**
     * Whether stale and early refreshes run on a background thread while the caller gets the copy at once; false
     * runs them on the caller (which keeps its thread-bound context, e.g. security, at the cost of its latency).
     */
    private boolean backgroundRefresh = true;

    /** What a cache call does when Redis fails: 'load' (run the method here, once per key per node) or 'fail'. */
    private OnBackendFailure onBackendFailure = OnBackendFailure.LOAD;

    /** The core settings; the time-to-live comes from each cache's own configuration, per entry. */
    public RegenerationSettings toSettings() {
        return RegenerationSettings.builder()
                .staleWhileRevalidate(staleWhileRevalidate)
                .staleIfError(staleIfError)
                .lockTtl(lockTtl)
                .maxLoadTime(maxLoadTime)
                .waitTimeout(waitTimeout)
                .pollInterval(pollInterval)
                .commandTimeout(commandTimeout)
                .earlyRefresh(earlyRefresh)
                .earlyRefreshBeta(earlyRefreshBeta)
                .backgroundRefresh(backgroundRefresh)
                .onBackendFailure(onBackendFailure)
                .build();
    }

    /** Whether the cache {@code name} is guarded. */
    public boolean guards(String name) {
        return cacheNames.isEmpty() || cacheNames.contains(name);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getCacheNames() {
        return cacheNames;
    }

    public void setCacheNames(List<String> cacheNames) {
        this.cacheNames = cacheNames;
    }

    public Duration getStaleWhileRevalidate() {
        return staleWhileRevalidate;
    }

    public void setStaleWhileRevalidate(Duration staleWhileRevalidate) {
        this.staleWhileRevalidate = staleWhileRevalidate;
    }

    public Duration getStaleIfError() {
        return staleIfError;
    }

    public void setStaleIfError(Duration staleIfError) {
        this.staleIfError = staleIfError;
    }

    public Duration getLockTtl() {
        return lockTtl;
    }

    public void setLockTtl(Duration lockTtl) {
        this.lockTtl = lockTtl;
    }

    public Duration getMaxLoadTime() {
        return maxLoadTime;
    }

    public void setMaxLoadTime(Duration maxLoadTime) {
        this.maxLoadTime = maxLoadTime;
    }

    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public boolean isEarlyRefresh() {
        return earlyRefresh;
    }

    public void setEarlyRefresh(boolean earlyRefresh) {
        this.earlyRefresh = earlyRefresh;
    }

    public double getEarlyRefreshBeta() {
        return earlyRefreshBeta;
    }

    public void setEarlyRefreshBeta(double earlyRefreshBeta) {
        this.earlyRefreshBeta = earlyRefreshBeta;
    }

    public boolean isBackgroundRefresh() {
        return backgroundRefresh;
    }

    public void setBackgroundRefresh(boolean backgroundRefresh) {
        this.backgroundRefresh = backgroundRefresh;
    }

    public OnBackendFailure getOnBackendFailure() {
        return onBackendFailure;
    }

    public void setOnBackendFailure(OnBackendFailure onBackendFailure) {
        this.onBackendFailure = onBackendFailure;
    }
}
