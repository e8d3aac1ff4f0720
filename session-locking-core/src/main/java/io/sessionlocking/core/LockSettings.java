package io.sessionlocking.core;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of the session lock, validated when built. Every default lives here, as a {@code DEFAULT_*}
 * constant; the Spring Boot properties map onto this class and a test keeps their defaults equal.
 *
 * <p>The acquisition timeout is {@code timeoutFraction x maxRequestTime} (Spryker's rule: 0.8 of the request's
 * maximum time) unless an explicit {@link Builder#timeout(Duration) timeout} is given. The lock's time-to-live
 * defaults to {@code maxRequestTime}: a holder that dies keeps the session locked at most that long. It is at least
 * {@link #MIN_LOCK_TTL}; a renewed lock also needs {@code lockTtl >= 1.5 x commandTimeout} ({@link
 * #requireRenewable()}).
 *
 * <p>An invalid value or combination throws {@link InvalidLockSettingsException} naming the setting, the value and
 * the allowed range, durations written as Spring Boot reads them ({@code 10ms}). Of two conflicting settings, the one
 * the caller chose is named, not the default it conflicts with: {@code lockTtl(5ms)} with the default 10 ms retry
 * delay is a lock TTL below the retry delay. {@code maxRetryDelay} is held to at least the retry delay only with
 * {@link Backoff#EXPONENTIAL}, the one backoff that uses it.
 */
public final class LockSettings {

    /** Pause between two attempts on a held lock: 10 ms, Spryker's default. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(10);

    /** Upper bound of one pause under {@link Backoff#EXPONENTIAL}. */
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMillis(200);

    /** Longest time a request may run, the analogue of PHP's {@code max_execution_time}. */
    public static final Duration DEFAULT_MAX_REQUEST_TIME = Duration.ofSeconds(30);

    /** Share of {@code maxRequestTime} a request may wait for the lock: 0.8, Spryker's default. */
    public static final double DEFAULT_TIMEOUT_FRACTION = 0.8;

    /** Waiting strategy between attempts. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.FIXED;

    /** How a waiter learns that a lock was released: announced by the backend, with polling as a safety net. */
    public static final WakeUp DEFAULT_WAKE_UP = WakeUp.NOTIFY;

    /** Prefix of every lock key; Spring Session's own default namespace, so locks sit next to the sessions. */
    public static final String DEFAULT_KEY_NAMESPACE = "spring:session";

    /**
     * Requests of one session that may wait for its lock at once, on all nodes together; one more fails at once with
     * {@link LockCouldNotBeAcquiredException.Reason#TOO_MANY_WAITERS}. A browser sends at most 6 requests at once to a
     * host over HTTP/1.1 (one holds the lock, 5 wait); 16 leaves room for a page's parallel calls over HTTP/2 and two
     * or three tabs loading at once. A session with more waiting requests is a script, a retry loop or an attack.
     */
    public static final int DEFAULT_MAX_WAITERS_PER_SESSION = 16;

    /**
     * Requests of all sessions that may wait for a lock at once on one node; one more fails at once with {@link
     * LockCouldNotBeAcquiredException.Reason#NODE_SATURATED}, so that waiters never occupy the whole worker pool. Half
     * of the 200 worker threads Tomcat and Jetty have by default; the Spring Boot integration derives it from the
     * server's own setting.
     */
    public static final int DEFAULT_MAX_WAITERS_PER_NODE = 100;

    /** Longest time one backend command (one attempt, a release, an extension) may take. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Shortest lock TTL: a few round trips to the backend. Below it a lock may expire between its acquisition and its
     * first use (a slow network, a GC pause), so locking would protect nothing.
     */
    public static final Duration MIN_LOCK_TTL = Duration.ofMillis(100);

    static final Duration MIN_DURATION = Duration.ofMillis(1);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);
    static final int MAX_WAITERS_LIMIT = 100_000;
    static final int MAX_NAMESPACE_LENGTH = 128;

    /** How a waiter spaces its attempts. */
    public enum Backoff {
        /** Always {@code retryDelay}, as Spryker does. */
        FIXED,
        /**
         * Exponential with full jitter: a random pause in {@code [0, min(maxRetryDelay, retryDelay x 2^(n-1))]}
         * before attempt n+1, which spreads many waiters of one session apart.
         */
        EXPONENTIAL
    }

    /** How a waiter learns that the lock it waits for was released. */
    public enum WakeUp {
        /**
         * Waiters queue in the backend and a release hands the lock to the first of them and announces it (pub/sub),
         * so a waiter on another node goes on at once; while an announcement may have been missed (no subscription
         * yet, a dropped connection) waiters poll at the retry delay. Backends without a queue poll.
         */
        NOTIFY,
        /** Waiters poll by the {@link Backoff}; the first attempt after a release wins (Spryker's spin lock). */
        POLL
    }

    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final Backoff backoff;
    private final WakeUp wakeUp;
    private final Duration maxRequestTime;
    private final double timeoutFraction;
    private final Duration timeout;
    private final boolean timeoutExplicit;
    private final Duration lockTtl;
    private final boolean lockTtlExplicit;
    private final String keyNamespace;
    private final int maxWaitersPerSession;
    private final int maxWaitersPerNode;
    private final Duration commandTimeout;

    private LockSettings(Builder builder) {
        this.maxRequestTime = requireBetween("maxRequestTime", builder.maxRequestTime, MIN_DURATION, MAX_DURATION);
        this.timeoutFraction = requireFraction(builder.timeoutFraction);
        this.timeoutExplicit = builder.timeout != null;
        this.timeout = builder.timeout != null
                ? requireBetween(
                        "timeout", builder.timeout, MIN_DURATION, maxRequestTime, "at most the max request time")
                : atLeastOneMilli(multiply(maxRequestTime, timeoutFraction));
        this.lockTtlExplicit = builder.lockTtl != null;
        this.lockTtl = builder.lockTtl != null
                ? requireBetween("lockTtl", builder.lockTtl, MIN_LOCK_TTL, MAX_DURATION, "a few round trips at least")
                : requireBetween(
                        "maxRequestTime",
                        maxRequestTime,
                        MIN_LOCK_TTL,
                        MAX_DURATION,
                        "the lock TTL defaults to it and must be a few round trips at least");
        this.retryDelay = requireBetween("retryDelay", builder.retryDelay, MIN_DURATION, MAX_DURATION);
        // A TTL shorter than one pause would let the lock expire between two attempts of its own waiters.
        SettingChecks.requireRetryDelayFits(
                retryDelay,
                lockTtl,
                builder.lockTtl != null,
                timeout,
                timeoutExplicit,
                maxRequestTime,
                timeoutFraction,
                MAX_DURATION);
        this.backoff = Objects.requireNonNull(builder.backoff, "backoff");
        this.wakeUp = Objects.requireNonNull(builder.wakeUp, "wakeUp");
        this.maxRetryDelay = requireMaxRetryDelay(builder.maxRetryDelay, retryDelay, backoff);
        this.keyNamespace = requireNamespace(builder.keyNamespace);
        this.maxWaitersPerSession = requireBetween("maxWaitersPerSession", builder.maxWaitersPerSession);
        this.maxWaitersPerNode = requireBetween("maxWaitersPerNode", builder.maxWaitersPerNode);
        this.commandTimeout =
                requireBetween("commandTimeout", builder.commandTimeout, MIN_DURATION, MAX_COMMAND_TIMEOUT);
    }

    /** The settings with every default. */
    public static LockSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .retryDelay(retryDelay)
                .maxRetryDelay(maxRetryDelay)
                .backoff(backoff)
                .wakeUp(wakeUp)
                .maxRequestTime(maxRequestTime)
                .timeoutFraction(timeoutFraction)
                .keyNamespace(keyNamespace)
                .maxWaitersPerSession(maxWaitersPerSession)
                .maxWaitersPerNode(maxWaitersPerNode)
                .commandTimeout(commandTimeout)
                .lockTtl(lockTtl);
        return timeoutExplicit ? builder.timeout(timeout) : builder;
    }

    public Duration retryDelay() {
        return retryDelay;
    }

    public Duration maxRetryDelay() {
        return maxRetryDelay;
    }

    public Backoff backoff() {
        return backoff;
    }

    public WakeUp wakeUp() {
        return wakeUp;
    }

    public Duration maxRequestTime() {
        return maxRequestTime;
    }

    public double timeoutFraction() {
        return timeoutFraction;
    }

    /** The acquisition timeout in effect: the explicit one, else {@code timeoutFraction x maxRequestTime}. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether {@link #timeout()} was set explicitly rather than derived. */
    public boolean isTimeoutExplicit() {
        return timeoutExplicit;
    }

    /** The lock's time-to-live in effect: the explicit one, else {@code maxRequestTime}. */
    public Duration lockTtl() {
        return lockTtl;
    }

    /**
     * Checks that a renewer can keep these locks alive: it extends a lock every third of its TTL, and an extension may
     * take up to the command timeout, so the one sent a third into the TTL lands before the TTL runs out only when
     * {@code lockTtl >= 1.5 x commandTimeout}. Names the setting the caller chose (the TTL, else the command timeout,
     * else the max request time the TTL derives from) as the constructor's checks do.
     *
     * @return these settings
     * @throws InvalidLockSettingsException when the TTL is too short for the command timeout
     */
    public LockSettings requireRenewable() {
        SettingChecks.requireRenewable(lockTtl, lockTtlExplicit, commandTimeout, maxRequestTime, MAX_DURATION);
        return this;
    }

    public String keyNamespace() {
        return keyNamespace;
    }

    /**
     * Requests of one session that may wait for its lock at once, on all nodes together. Exact within a node; across
     * nodes each node counts the others' waiters as they last reported them (see {@link SpinLockProvider}).
     */
    public int maxWaitersPerSession() {
        return maxWaitersPerSession;
    }

    /** Requests of all sessions that may wait for a lock at once on this node; exact. */
    public int maxWaitersPerNode() {
        return maxWaitersPerNode;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public String toString() {
        return "LockSettings[retryDelay=" + retryDelay + ", backoff=" + backoff + ", wakeUp=" + wakeUp
                + ", maxRetryDelay=" + maxRetryDelay
                + ", maxRequestTime=" + maxRequestTime + ", timeoutFraction=" + timeoutFraction + ", timeout="
                + timeout + (timeoutExplicit ? " (explicit)" : " (derived)") + ", lockTtl=" + lockTtl
                + ", keyNamespace=" + keyNamespace + ", maxWaitersPerSession=" + maxWaitersPerSession
                + ", maxWaitersPerNode=" + maxWaitersPerNode + ", commandTimeout=" + commandTimeout + "]";
    }

    private static Duration requireBetween(String setting, @Nullable Duration value, Duration min, Duration max) {
        return SettingChecks.requireBetween(setting, value, min, max);
    }

    private static Duration requireBetween(
            String setting, @Nullable Duration value, Duration min, Duration max, String because) {
        return SettingChecks.requireBetween(setting, value, min, max, because);
    }

    /** The cap of exponential pauses: at least the retry delay. The fixed backoff ignores it, so it is not held to that. */
    private static Duration requireMaxRetryDelay(@Nullable Duration value, Duration retryDelay, Backoff backoff) {
        if (backoff == Backoff.FIXED) {
            return requireBetween("maxRetryDelay", value, MIN_DURATION, MAX_DURATION);
        }
        if (value != null && value.compareTo(retryDelay) < 0 && value.equals(DEFAULT_MAX_RETRY_DELAY)) {
            // Only the retry delay was chosen: it is the one out of range.
            throw SettingChecks.invalid(
                    "retryDelay",
                    retryDelay,
                    MIN_DURATION,
                    value,
                    "at most the max retry delay of exponential backoff");
        }
        return requireBetween("maxRetryDelay", value, retryDelay, MAX_DURATION, "at least the retry delay");
    }

    private static int requireBetween(String setting, int value) {
        if (value < 1 || value > MAX_WAITERS_LIMIT) {
            throw new InvalidLockSettingsException(setting, String.valueOf(value), "[1, " + MAX_WAITERS_LIMIT + "]");
        }
        return value;
    }

    private static double requireFraction(double value) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new InvalidLockSettingsException("timeoutFraction", String.valueOf(value), "(0, 1]");
        }
        return value;
    }

    private static String requireNamespace(@Nullable String value) {
        if (value == null
                || value.isEmpty()
                || value.length() > MAX_NAMESPACE_LENGTH
                || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '{' && c != '}')) {
            // Braces would break the hash tag that keeps a session's keys in one cluster slot.
            throw new InvalidLockSettingsException(
                    "keyNamespace",
                    String.valueOf(value),
                    "1 to " + MAX_NAMESPACE_LENGTH + " printable ASCII characters without spaces, '{' or '}'");
        }
        return value;
    }

    private static Duration multiply(Duration duration, double factor) {
        return Duration.ofNanos(Math.round(duration.toNanos() * factor));
    }

    private static Duration atLeastOneMilli(Duration duration) {
        return duration.compareTo(MIN_DURATION) < 0 ? MIN_DURATION : duration;
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {

        private @Nullable Duration retryDelay = DEFAULT_RETRY_DELAY;
        private @Nullable Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
        private Backoff backoff = DEFAULT_BACKOFF;
        private WakeUp wakeUp = DEFAULT_WAKE_UP;
        private @Nullable Duration maxRequestTime = DEFAULT_MAX_REQUEST_TIME;
        private double timeoutFraction = DEFAULT_TIMEOUT_FRACTION;
        private @Nullable Duration timeout;
        private @Nullable Duration lockTtl;
        private @Nullable String keyNamespace = DEFAULT_KEY_NAMESPACE;
        private int maxWaitersPerSession = DEFAULT_MAX_WAITERS_PER_SESSION;
        private int maxWaitersPerNode = DEFAULT_MAX_WAITERS_PER_NODE;
        private @Nullable Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {}

        public Builder retryDelay(@Nullable Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        public Builder maxRetryDelay(@Nullable Duration maxRetryDelay) {
            this.maxRetryDelay = maxRetryDelay;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder wakeUp(WakeUp wakeUp) {
            this.wakeUp = wakeUp;
            return this;
        }

        public Builder maxRequestTime(@Nullable Duration maxRequestTime) {
            this.maxRequestTime = maxRequestTime;
            return this;
        }

        public Builder timeoutFraction(double timeoutFraction) {
            this.timeoutFraction = timeoutFraction;
            return this;
        }

        /** An explicit acquisition timeout; {@code null} derives it from the fraction. */
        public Builder timeout(@Nullable Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** An explicit lock time-to-live; {@code null} uses {@code maxRequestTime}. */
        public Builder lockTtl(@Nullable Duration lockTtl) {
            this.lockTtl = lockTtl;
            return this;
        }

        public Builder keyNamespace(@Nullable String keyNamespace) {
            this.keyNamespace = keyNamespace;
            return this;
        }

        public Builder maxWaitersPerSession(int maxWaitersPerSession) {
            this.maxWaitersPerSession = maxWaitersPerSession;
            return this;
        }

        public Builder maxWaitersPerNode(int maxWaitersPerNode) {
            this.maxWaitersPerNode = maxWaitersPerNode;
            return this;
        }

        public Builder commandTimeout(@Nullable Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * @throws InvalidLockSettingsException when a value or combination is out of range
         */
        public LockSettings build() {
            return new LockSettings(this);
        }
    }
}
