package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.InvalidLockSettingsException;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.cache.CacheRegenerationProperties;
import io.sessionlocking.spring.web.AsyncPolicy;
import io.sessionlocking.spring.web.OnLostLock;
import io.sessionlocking.spring.web.OnTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Configuration properties of session locking. Defaults are the core's ({@link LockSettings}); {@link
 * #toLockSettings()} is the one place where the properties become core settings.
 *
 * <p>An unknown key under {@code session-locking} (a misspelt {@code retry-dealy}) fails the start-up naming it,
 * rather than being silently ignored. A value out of range fails it too, naming the property, the value as written
 * and the allowed range.
 *
 * <p>Adding a property: a field with its javadoc (the IDE shows it) and a literal default (the configuration processor
 * records only literals as the IDE's default value, so write {@code Duration.ofMillis(10)}, not a constant of another
 * class; {@code SessionLockingPropertiesTests} keeps literals equal to the core's constants), a getter and setter, a
 * row in {@code docs/configuration.md}, and for an enum its value hints in {@code
 * META-INF/additional-spring-configuration-metadata.json}. {@code ConfigurationMetadataTests} fails until all of that
 * is done.
 */
@ConfigurationProperties(prefix = "session-locking", ignoreUnknownFields = false)
public class SessionLockingProperties {

    /** Spryker's default list of crawler User-Agent fragments, matched case-insensitively. */
    public static final List<String> DEFAULT_BOT_USER_AGENTS = List.of(
            "Googlebot",
            "bingbot",
            "Baiduspider",
            "YandexBot",
            "DuckDuckBot",
            "Sogou",
            "ia_archiver",
            "facebookexternalhit",
            "Twitterbot",
            "LinkedInBot",
            "Slackbot",
            "WhatsApp",
            "Discordbot",
            "AhrefsBot",
            "Applebot",
            "msnbot",
            "MJ12bot",
            "SEMrushBot",
            "PetalBot",
            "SeznamBot",
            "AdsBot-Google",
            "crawler",
            "spider",
            "robot",
            "bot/");

    /** Which session handler serves requests. */
    public enum Handler {
        /** Each request holds its session's lock from load to save. */
        LOCKING,
        /** The plain repository, without locks or any overhead. */
        NON_LOCKING
    }

    /** Which repository locks the sessions. */
    public enum Repository {
        /**
         * With Spring Session's default (non-indexed) Redis repository: a Redis repository whose lock lives inside the
         * session hash, one round trip to lock and load, one to save and release, fenced writes. Other stores, and
         * the indexed Redis repository, keep the decorator.
         */
        FUSED,
        /** A separate lock key around the application's own repository, whatever it is. */
        DECORATOR
    }

    /** Where locks are kept. */
    public enum Backend {
        /** Redis through Lettuce, on the application's {@code LettuceConnectionFactory}. */
        REDIS,
        /** Redis through the application's {@code RedissonClient}. */
        REDISSON,
        /** This JVM's memory: for a single node only. */
        MEMORY
    }

    /** Whether to enable session locking. */
    private boolean enabled = true;

    /** Session handler: 'locking' or 'non-locking'. */
    private Handler handler = Handler.LOCKING;

    /**
     * Repository that locks the sessions: 'fused' (the lock inside the Redis session hash; applies with Spring
     * Session's default Redis repository type, others keep the decorator) or 'decorator' (a separate lock key around
     * the application's repository).
     */
    private Repository repository = Repository.FUSED;

    /**
     * Lock backend of the decorator (the fused repository keeps its lock in the session). When not set, detected: 'redisson' when a RedissonClient bean exists, else 'redis' when a Lettuce
     * connection factory exists, else 'memory'.
     */
    private @Nullable Backend backend;

    /** Pause between two attempts to take a held lock. */
    private Duration retryDelay = Duration.ofMillis(10);

    /** How waiters space their attempts: 'fixed' (always the retry delay) or 'exponential' (with full jitter). */
    private LockSettings.Backoff backoff = LockSettings.Backoff.FIXED;

    /** Longest pause between two attempts with exponential backoff; ignored with the fixed backoff. */
    private Duration maxRetryDelay = Duration.ofMillis(200);

    /**
     * How a waiter learns that the lock was released: 'notify' (waiters of other nodes queue in Redis, a release hands
     * the lock to the first of them and announces it; they poll only while an announcement may have been missed) or
     * 'poll' (waiters poll by the backoff, Spryker's spin lock).
     */
    private LockSettings.WakeUp wakeUp = LockSettings.WakeUp.NOTIFY;

    /** Longest time a request may run; the lock TTL and the renewal limit derive from it. */
    private Duration maxRequestTime = Duration.ofSeconds(30);

    /** Share of the max request time a request may wait for the lock, in (0, 1]. */
    private double timeoutFraction = 0.8;

    /** Longest time a request waits for the lock. Overrides timeout-fraction when set. */
    private @Nullable Duration timeout;

    /**
     * Time-to-live of a lock, after which a crashed holder's lock frees itself; at least 100ms, and with renewal at
     * least 1.5 x the command timeout. Defaults to the max request time.
     */
    private @Nullable Duration lockTtl;

    /**
     * Whether to extend a held lock's TTL every third of it while its request runs, up to the max request time. A
     * request whose renewal finds its lock lost saves nothing and follows on-lost-lock.
     */
    private boolean renew = true;

    /** What a request does when the lock cannot be acquired: 'fail', 'read-only' or 'proceed'. */
    private OnTimeout onTimeout = OnTimeout.FAIL;

    /**
     * What a request does when a save finds its session's lock lost (expired and taken by another request): 'fail'
     * (the failure status, nothing written) or 'discard' (the response stands, the write is dropped).
     */
    private OnLostLock onLostLock = OnLostLock.FAIL;

    /**
     * When a request that started async processing releases its session's lock: 'hold' (when the async processing
     * completes) or 'release-after-dispatch' (when the dispatch that started it ends; later writes are fenced).
     */
    private AsyncPolicy async = AsyncPolicy.HOLD;

    /** HTTP status of a request that failed to acquire its session's lock. */
    private int failureStatus = 503;

    /** Value of the Retry-After header sent with the failure status. */
    private Duration retryAfter = Duration.ofSeconds(1);

    /**
     * Requests of one session that may wait for its lock at once, on all nodes together (each node counts the others'
     * waiters as they last reported them); one more fails at once with 429 Too Many Requests, reason
     * 'too_many_waiters'.
     */
    private int maxWaitersPerSession = 16;

    /**
     * Requests of all sessions that may wait for a lock at once on this node; one more fails at once with 503, reason
     * 'node_saturated'. Defaults to half of the server's worker threads (server.tomcat.threads.max), 100 without
     * such a server or with virtual threads.
     */
    private @Nullable Integer maxWaitersPerNode;

    /** Longest time one lock command to the backend may take. */
    private Duration commandTimeout = Duration.ofSeconds(2);

    /** Prefix of lock keys, which are '<namespace>:lock:{<session id>}'. */
    private String keyNamespace = "spring:session";

    /**
     * This node's name in lock holder descriptions (the sessionlocks look-up, failure logs, Redis). When not set, the
     * application's name and a random id of this JVM, e.g. 'shop#5f3a9c1e', so that no host name or process id is
     * shown; set it to show one, e.g. '${HOSTNAME}'.
     */
    private @Nullable String nodeName;

    private final ReadOnly readOnly = new ReadOnly();

    private final Lettuce lettuce = new Lettuce();

    /** Stampede-safe regeneration of Spring Boot's Redis caches ({@code session-locking.cache.*}). */
    @NestedConfigurationProperty
    private final CacheRegenerationProperties cache = new CacheRegenerationProperties();

    /**
     * How Spring Boot's Lettuce client (the one behind its RedisConnectionFactory, which Spring Session and the lock
     * use) behaves in an outage. Applied only where Boot builds the client: not to a ClientResources or connection
     * factory bean of the application's own.
     */
    public static class Lettuce {

        static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(10);
        static final Duration MAX_RECONNECT_DELAY = Duration.ofMinutes(1);

        /**
         * Longest pause between two attempts to reconnect to Redis (Lettuce's default doubles it up to 30s): a request
         * after Redis returns finds the client reconnected within about this long, however long the outage lasted.
         */
        private Duration maxReconnectDelay = Duration.ofSeconds(1);

        /**
         * Whether commands are rejected at once while the client is disconnected, instead of queued until it
         * reconnects or the command timeout ends them (Lettuce's default): a request during an outage is answered 503
         * at once, and no session write that was answered 503 is replayed after Redis returns.
         */
        private boolean rejectCommandsWhileDisconnected = true;

        /**
         * {@link #getMaxReconnectDelay()}, checked.
         *
         * @throws InvalidConfigurationPropertyValueException naming the property and its allowed range
         */
        public Duration checkedMaxReconnectDelay() {
            if (maxReconnectDelay.compareTo(MIN_RECONNECT_DELAY) < 0
                    || maxReconnectDelay.compareTo(MAX_RECONNECT_DELAY) > 0) {
                throw new InvalidConfigurationPropertyValueException(
                        SessionLockingAutoConfiguration.PREFIX + ".lettuce.max-reconnect-delay",
                        maxReconnectDelay.toMillis() + "ms",
                        "allowed range is [10ms, 1m]");
            }
            return maxReconnectDelay;
        }

        public Duration getMaxReconnectDelay() {
            return maxReconnectDelay;
        }

        public void setMaxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = maxReconnectDelay;
        }

        public boolean isRejectCommandsWhileDisconnected() {
            return rejectCommandsWhileDisconnected;
        }

        public void setRejectCommandsWhileDisconnected(boolean rejectCommandsWhileDisconnected) {
            this.rejectCommandsWhileDisconnected = rejectCommandsWhileDisconnected;
        }
    }

    /** Requests served read-only: they read the session without its lock and never write attributes. */
    public static class ReadOnly {

        /** HTTP methods served read-only. */
        private Set<String> methods = new LinkedHashSet<>(List.of("HEAD", "OPTIONS", "TRACE"));

        /**
         * Path patterns (PathPattern syntax) of requests served read-only, in addition to Actuator's endpoints (see
         * 'actuator').
         */
        private List<String> paths = new ArrayList<>();

        /**
         * Whether requests to Actuator's endpoints (under management.endpoints.web.base-path) are served read-only, so
         * that an operator's look-up of a session never waits for, or holds, that session's lock.
         */
        private boolean actuator = true;

        /** Path patterns of the only requests that lock; when set, requests on any other path are read-only. */
        private List<String> lockedPaths = new ArrayList<>();

        /** User-Agent fragments of bots, matched case-insensitively, whose requests are served read-only. */
        private List<String> botUserAgents = new ArrayList<>(DEFAULT_BOT_USER_AGENTS);

        public Set<String> getMethods() {
            return methods;
        }

        public void setMethods(Set<String> methods) {
            this.methods = methods;
        }

        public List<String> getPaths() {
            return paths;
        }

        public void setPaths(List<String> paths) {
            this.paths = paths;
        }

        public boolean isActuator() {
            return actuator;
        }

        public void setActuator(boolean actuator) {
            this.actuator = actuator;
        }

        public List<String> getLockedPaths() {
            return lockedPaths;
        }

        public void setLockedPaths(List<String> lockedPaths) {
            this.lockedPaths = lockedPaths;
        }

        public List<String> getBotUserAgents() {
            return botUserAgents;
        }

        public void setBotUserAgents(List<String> botUserAgents) {
            this.botUserAgents = botUserAgents;
        }
    }

    /**
     * The core settings these properties describe; with renewal on, a TTL renewal can keep ({@link
     * LockSettings#requireRenewable()}).
     *
     * @throws InvalidConfigurationPropertyValueException naming the property, with the allowed range as the reason;
     *     Spring Boot's failure analysis adds the value as written and where it was set
     */
    public LockSettings toLockSettings() {
        return toLockSettings(null);
    }

    /**
     * The core settings these properties describe, on a server with {@code workerThreads} platform worker threads
     * ({@code null} when unknown): the default of {@link #getMaxWaitersPerNode()} is half of them.
     *
     * @throws InvalidConfigurationPropertyValueException as {@link #toLockSettings()}
     */
    public LockSettings toLockSettings(@Nullable Integer workerThreads) {
        int waitersPerNode = maxWaitersPerNode != null
                ? maxWaitersPerNode
                : workerThreads != null ? Math.max(workerThreads / 2, 1) : LockSettings.DEFAULT_MAX_WAITERS_PER_NODE;
        try {
            requireHttpFailure(failureStatus, retryAfter);
            requireNodeName(nodeName);
            LockSettings settings = LockSettings.builder()
                    .retryDelay(retryDelay)
                    .backoff(backoff)
                    .wakeUp(wakeUp)
                    .maxRetryDelay(maxRetryDelay)
                    .maxRequestTime(maxRequestTime)
                    .timeoutFraction(timeoutFraction)
                    .timeout(timeout)
                    .lockTtl(lockTtl)
                    .maxWaitersPerSession(maxWaitersPerSession)
                    .maxWaitersPerNode(waitersPerNode)
                    .commandTimeout(commandTimeout)
                    .keyNamespace(keyNamespace)
                    .build();
            // The renewer refuses such settings too; checked here so that the failure names the property.
            return renew ? settings.requireRenewable() : settings;
        } catch (InvalidLockSettingsException e) {
            throw new InvalidConfigurationPropertyValueException(
                    propertyName(e.setting()), e.value(), "allowed range is " + e.allowedRange());
        }
    }

    private static void requireHttpFailure(int failureStatus, Duration retryAfter) {
        if (failureStatus < 400 || failureStatus > 599) {
            throw new InvalidLockSettingsException("failureStatus", String.valueOf(failureStatus), "[400, 599]");
        }
        if (retryAfter.isNegative()) {
            throw new InvalidLockSettingsException("retryAfter", retryAfter.toMillis() + "ms", "0s or more");
        }
    }

    /** Printable ASCII, since it is stored in Redis and printed in logs; no ';', the holder description's separator. */
    private static void requireNodeName(@Nullable String nodeName) {
        if (nodeName == null) {
            return;
        }
        boolean valid = !nodeName.isEmpty()
                && nodeName.length() <= 64
                && nodeName.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != ';');
        if (!valid) {
            throw new InvalidLockSettingsException(
                    "nodeName", nodeName, "1 to 64 printable ASCII characters without ';'");
        }
    }

    /** The property of a core setting: {@code retryDelay} is {@code session-locking.retry-delay}. */
    static String propertyName(String setting) {
        StringBuilder name = new StringBuilder(SessionLockingAutoConfiguration.PREFIX).append('.');
        for (char c : setting.toCharArray()) {
            if (Character.isUpperCase(c)) {
                name.append('-').append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Handler getHandler() {
        return handler;
    }

    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    public Repository getRepository() {
        return repository;
    }

    public void setRepository(Repository repository) {
        this.repository = repository;
    }

    public OnLostLock getOnLostLock() {
        return onLostLock;
    }

    public void setOnLostLock(OnLostLock onLostLock) {
        this.onLostLock = onLostLock;
    }

    public AsyncPolicy getAsync() {
        return async;
    }

    public void setAsync(AsyncPolicy async) {
        this.async = async;
    }

    public @Nullable Backend getBackend() {
        return backend;
    }

    public void setBackend(@Nullable Backend backend) {
        this.backend = backend;
    }

    public Duration getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
    }

    public LockSettings.WakeUp getWakeUp() {
        return wakeUp;
    }

    public void setWakeUp(LockSettings.WakeUp wakeUp) {
        this.wakeUp = wakeUp;
    }

    public LockSettings.Backoff getBackoff() {
        return backoff;
    }

    public void setBackoff(LockSettings.Backoff backoff) {
        this.backoff = backoff;
    }

    public Duration getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(Duration maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public Duration getMaxRequestTime() {
        return maxRequestTime;
    }

    public void setMaxRequestTime(Duration maxRequestTime) {
        this.maxRequestTime = maxRequestTime;
    }

    public double getTimeoutFraction() {
        return timeoutFraction;
    }

    public void setTimeoutFraction(double timeoutFraction) {
        this.timeoutFraction = timeoutFraction;
    }

    public @Nullable Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(@Nullable Duration timeout) {
        this.timeout = timeout;
    }

    public @Nullable Duration getLockTtl() {
        return lockTtl;
    }

    public void setLockTtl(@Nullable Duration lockTtl) {
        this.lockTtl = lockTtl;
    }

    public boolean isRenew() {
        return renew;
    }

    public void setRenew(boolean renew) {
        this.renew = renew;
    }

    public OnTimeout getOnTimeout() {
        return onTimeout;
    }

    public void setOnTimeout(OnTimeout onTimeout) {
        this.onTimeout = onTimeout;
    }

    public int getFailureStatus() {
        return failureStatus;
    }

    public void setFailureStatus(int failureStatus) {
        this.failureStatus = failureStatus;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public int getMaxWaitersPerSession() {
        return maxWaitersPerSession;
    }

    public void setMaxWaitersPerSession(int maxWaitersPerSession) {
        this.maxWaitersPerSession = maxWaitersPerSession;
    }

    public @Nullable Integer getMaxWaitersPerNode() {
        return maxWaitersPerNode;
    }

    public void setMaxWaitersPerNode(@Nullable Integer maxWaitersPerNode) {
        this.maxWaitersPerNode = maxWaitersPerNode;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public String getKeyNamespace() {
        return keyNamespace;
    }

    public void setKeyNamespace(String keyNamespace) {
        this.keyNamespace = keyNamespace;
    }

    public @Nullable String getNodeName() {
        return nodeName;
    }

    public void setNodeName(@Nullable String nodeName) {
        this.nodeName = nodeName;
    }

    public Lettuce getLettuce() {
        return lettuce;
    }

    public ReadOnly getReadOnly() {
        return readOnly;
    }

    public CacheRegenerationProperties getCache() {
        return cache;
    }
}
