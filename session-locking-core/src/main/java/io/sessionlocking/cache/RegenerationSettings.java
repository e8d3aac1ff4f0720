package io.sessionlocking.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one {@link RegenerationGuard}, validated when built. Every default lives here as a {@code
 * DEFAULT_*} constant; the Spring Boot properties ({@code session-locking.cache.*}) map onto this class and a test
 * keeps their defaults equal.
 *
 * <p>An entry is <em>fresh</em> for its time-to-live, then <em>stale</em>. A stale entry is served at once, while one
 * caller regenerates it, for {@link #staleWhileRevalidate()} after it went stale (RFC 5861 {@code
 * stale-while-revalidate}); it is served instead of an error, when the regeneration fails or a wait times out, for
 * {@link #staleIfError()} after it went stale ({@code stale-if-error}). Both default to zero: out of the box the guard
 * never serves data older than its time-to-live, it only makes sure one caller regenerates.
 *
 * <p>An invalid value throws {@link InvalidRegenerationSettingsException} naming the setting, the value and the
 * allowed range.
 */
public final class RegenerationSettings {

    /** Time-to-live of entries stored by {@link RegenerationGuard#get(String, Loader)}: 5 minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** How long after its expiry a stale entry is still served at once while it is regenerated: not at all. */
    public static final Duration DEFAULT_STALE_WHILE_REVALIDATE = Duration.ZERO;

    /** How long after its expiry a stale entry is served when its regeneration fails: not at all. */
    public static final Duration DEFAULT_STALE_IF_ERROR = Duration.ZERO;

    /** Time-to-live of a regeneration lock: a node that dies while loading blocks the entry this long at most. */
    public static final Duration DEFAULT_LOCK_TTL = Duration.ofSeconds(10);

    /** Longest time a loader's lock is renewed; after that it expires and the next caller regenerates. */
    public static final Duration DEFAULT_MAX_LOAD_TIME = Duration.ofMinutes(1);

    /** Longest time a caller waits for another caller's regeneration of an entry it has no copy of. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(10);

    /** Pause between two looks at Redis of a waiting node, when no notification arrives first. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    /** Longest time one Redis command may take. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

    /** Whether callers may refresh a fresh entry early, with the XFetch probability. */
    public static final boolean DEFAULT_EARLY_REFRESH = false;

    /** XFetch's beta: 1, the paper's default; larger refreshes earlier. */
    public static final double DEFAULT_EARLY_REFRESH_BETA = 1.0;

    /** Whether stale and early refreshes run in the background while the caller gets the current copy. */
    public static final boolean DEFAULT_BACKGROUND_REFRESH = true;

    /** What a caller does when Redis fails. */
    public static final OnBackendFailure DEFAULT_ON_BACKEND_FAILURE = OnBackendFailure.LOAD;

    static final Duration MIN_DURATION = Duration.ofMillis(1);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final Duration MAX_STALE = Duration.ofDays(30);
    static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);
    static final double MAX_BETA = 100;

    /** What {@link RegenerationGuard#get} does when a Redis command fails or times out. */
    public enum OnBackendFailure {
        /**
         * Run the loader here, one caller per key in this JVM at a time, and return its value without storing it: the
         * site stays up, the backend sees at most one load per key per node.
         */
        LOAD,
        /** Throw {@link RegenerationException} with reason {@code BACKEND_UNAVAILABLE}. */
        FAIL
    }

    private final Duration ttl;
    private final Duration staleWhileRevalidate;
    private final Duration staleIfError;
    private final Duration lockTtl;
    private final Duration maxLoadTime;
    private final Duration waitTimeout;
    private final Duration pollInterval;
    private final Duration commandTimeout;
    private final boolean earlyRefresh;
    private final double earlyRefreshBeta;
    private final boolean backgroundRefresh;
    private final OnBackendFailure onBackendFailure;

    private RegenerationSettings(Builder builder) {
        this.ttl = requireBetween("ttl", builder.ttl, Duration.ZERO, MAX_STALE);
        this.staleWhileRevalidate =
                requireBetween("staleWhileRevalidate", builder.staleWhileRevalidate, Duration.ZERO, MAX_STALE);
        this.staleIfError = requireBetween("staleIfError", builder.staleIfError, Duration.ZERO, MAX_STALE);
        this.lockTtl = requireBetween("lockTtl", builder.lockTtl, MIN_DURATION, MAX_DURATION);
        // Renewal runs every third of the TTL: a max load time below one TTL would never renew.
        this.maxLoadTime = requireBetween("maxLoadTime", builder.maxLoadTime, lockTtl, MAX_DURATION);
        this.waitTimeout = requireBetween("waitTimeout", builder.waitTimeout, MIN_DURATION, MAX_DURATION);
        this.pollInterval = requireBetween("pollInterval", builder.pollInterval, MIN_DURATION, waitTimeout);
        this.commandTimeout =
                requireBetween("commandTimeout", builder.commandTimeout, MIN_DURATION, MAX_COMMAND_TIMEOUT);
        this.earlyRefresh = builder.earlyRefresh;
        if (!(builder.earlyRefreshBeta > 0 && builder.earlyRefreshBeta <= MAX_BETA)) {
            throw new InvalidRegenerationSettingsException(
                    "earlyRefreshBeta", Double.toString(builder.earlyRefreshBeta), "(0, " + MAX_BETA + "]");
        }
        this.earlyRefreshBeta = builder.earlyRefreshBeta;
        this.backgroundRefresh = builder.backgroundRefresh;
        this.onBackendFailure = Objects.requireNonNull(builder.onBackendFailure, "onBackendFailure");
    }

    public static RegenerationSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .ttl(ttl)
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
                .onBackendFailure(onBackendFailure);
    }

    /** Time-to-live of stored entries when the caller gives none; zero: entries never expire. */
    public Duration ttl() {
        return ttl;
    }

    public Duration staleWhileRevalidate() {
        return staleWhileRevalidate;
    }

    public Duration staleIfError() {
        return staleIfError;
    }

    public Duration lockTtl() {
        return lockTtl;
    }

    public Duration maxLoadTime() {
        return maxLoadTime;
    }

    public Duration waitTimeout() {
        return waitTimeout;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public boolean earlyRefresh() {
        return earlyRefresh;
    }

    public double earlyRefreshBeta() {
        return earlyRefreshBeta;
    }

    public boolean backgroundRefresh() {
        return backgroundRefresh;
    }

    public OnBackendFailure onBackendFailure() {
        return onBackendFailure;
    }

    @Override
    public String toString() {
        return "RegenerationSettings[ttl=" + ttl + ", staleWhileRevalidate=" + staleWhileRevalidate + ", staleIfError="
                + staleIfError + ", lockTtl=" + lockTtl + ", maxLoadTime=" + maxLoadTime + ", waitTimeout="
                + waitTimeout + ", pollInterval=" + pollInterval + ", commandTimeout=" + commandTimeout
                + ", earlyRefresh=" + earlyRefresh + ", earlyRefreshBeta=" + earlyRefreshBeta + ", backgroundRefresh="
                + backgroundRefresh + ", onBackendFailure=" + onBackendFailure + "]";
    }

    private static Duration requireBetween(String setting, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, setting);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidRegenerationSettingsException(setting, value.toString(), "[" + min + ", " + max + "]");
        }
        return value;
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {

        private Duration ttl = DEFAULT_TTL;
        private Duration staleWhileRevalidate = DEFAULT_STALE_WHILE_REVALIDATE;
        private Duration staleIfError = DEFAULT_STALE_IF_ERROR;
        private Duration lockTtl = DEFAULT_LOCK_TTL;
        private Duration maxLoadTime = DEFAULT_MAX_LOAD_TIME;
        private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private boolean earlyRefresh = DEFAULT_EARLY_REFRESH;
        private double earlyRefreshBeta = DEFAULT_EARLY_REFRESH_BETA;
        private boolean backgroundRefresh = DEFAULT_BACKGROUND_REFRESH;
        private OnBackendFailure onBackendFailure = DEFAULT_ON_BACKEND_FAILURE;

        private Builder() {}

        /** Time-to-live of stored entries when a call gives none: 0 to 30 days, zero for entries that never expire. */
        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** How long after expiry a stale copy is served at once while one caller regenerates: 0 to 30 days. */
        public Builder staleWhileRevalidate(Duration staleWhileRevalidate) {
            this.staleWhileRevalidate = staleWhileRevalidate;
            return this;
        }

        /** How long after expiry a stale copy replaces a failed regeneration or a timed-out wait: 0 to 30 days. */
        public Builder staleIfError(Duration staleIfError) {
            this.staleIfError = staleIfError;
            return this;
        }

        /** Time-to-live of the regeneration lock, renewed every third of it while the loader runs: 1 ms to 24 h. */
        public Builder lockTtl(Duration lockTtl) {
            this.lockTtl = lockTtl;
            return this;
        }

        /** Longest time the lock of one load is renewed: lock TTL to 24 h. */
        public Builder maxLoadTime(Duration maxLoadTime) {
            this.maxLoadTime = maxLoadTime;
            return this;
        }

        /** Longest time a caller without a copy waits for another caller's regeneration: 1 ms to 24 h. */
        public Builder waitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
            return this;
        }

        /** Pause between two looks at Redis of a waiting node without a notification: 1 ms to the wait timeout. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** Longest time one Redis command may take: 1 ms to 1 min. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /** Whether a caller may refresh a fresh entry early (XFetch), in the background unless configured not to. */
        public Builder earlyRefresh(boolean earlyRefresh) {
            this.earlyRefresh = earlyRefresh;
            return this;
        }

        /** XFetch's beta, in (0, 100]: larger values refresh earlier. */
        public Builder earlyRefreshBeta(double earlyRefreshBeta) {
            this.earlyRefreshBeta = earlyRefreshBeta;
            return this;
        }

        /**
         * Whether stale and early refreshes run on a background thread (the caller returns the copy it has at once);
         * {@code false} runs them on the caller, which then waits for its own load.
         */
        public Builder backgroundRefresh(boolean backgroundRefresh) {
            this.backgroundRefresh = backgroundRefresh;
            return this;
        }

        public Builder onBackendFailure(OnBackendFailure onBackendFailure) {
            this.onBackendFailure = onBackendFailure;
            return this;
        }

        public RegenerationSettings build() {
            return new RegenerationSettings(this);
        }
    }
}
