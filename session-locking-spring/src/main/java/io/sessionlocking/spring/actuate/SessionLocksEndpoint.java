package io.sessionlocking.spring.actuate;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.web.HolderInfo;
import io.sessionlocking.spring.web.SessionLockActivity;
import io.sessionlocking.support.SessionIds;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code sessionlocks} endpoint: lock contention on this node ({@code GET /actuator/sessionlocks}), and who holds
 * a given session's lock anywhere, with an optional force release ({@code POST /actuator/sessionlocks} with {@code
 * {"sessionId": "...", "release": true}}).
 *
 * <p>The look-up takes a full session id, a credential, so it travels in the request body, never in the URL (access
 * logs and proxies keep URLs), and it is a write operation: available only when the endpoint's access is {@code
 * unrestricted}, like the force release it can perform. The report is read-only. Session ids are shown masked; a full
 * id is only ever accepted as input. Every force release is logged at WARN.
 */
@Endpoint(id = "sessionlocks", defaultAccess = Access.READ_ONLY)
public class SessionLocksEndpoint {

    private static final Log logger = LogFactory.getLog(SessionLocksEndpoint.class);

    private final SessionLockProvider provider;
    private final SessionLockStatistics statistics;
    private final SessionLockActivity activity;
    private final Map<String, Object> configuration;

    public SessionLocksEndpoint(
            SessionLockProvider provider,
            SessionLockStatistics statistics,
            SessionLockActivity activity,
            Map<String, Object> extraConfiguration) {
        this.provider = provider;
        this.statistics = statistics;
        this.activity = activity;
        this.configuration = configuration(provider.settings(), extraConfiguration);
    }

    /** The whole report. */
    public record Report(
            Map<String, Object> configuration,
            Map<String, Object> totals,
            TimePercentiles waitTimeMs,
            TimePercentiles heldTimeMs,
            Map<String, Object> now,
            List<SessionLockStatistics.Contention> mostContended,
            List<SessionLockStatistics.Failure> recentFailures) {}

    /** A request waiting for or holding a lock now. */
    public record Activity(String session, String method, String path, long forMs) {}

    /**
     * Who held one session's lock when it was looked up, and whether the look-up released it by force.
     *
     * @param session the masked session id
     * @param node the holder's node, as {@code session-locking.node-name} names it
     */
    public record Holder(
            String session,
            boolean held,
            @Nullable String node,
            @Nullable String method,
            @Nullable String path,
            @Nullable Instant since,
            @Nullable Long ttlMs,
            boolean released) {}

    @ReadOperation
    public Report report() {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("acquired", statistics.acquired());
        totals.put("failed", statistics.failed());
        totals.put("failures", statistics.failures());
        totals.put("released", statistics.released());
        totals.put("lost", statistics.lost());
        totals.put("skipped", statistics.skipped());

        List<Activity> held = activity.holdingNow().stream()
                .map(SessionLocksEndpoint::describe)
                .toList();
        List<Activity> waiting = activity.waitingNow().stream()
                .map(SessionLocksEndpoint::describe)
                .toList();
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("heldCount", held.size());
        now.put("waitingCount", provider.waitingCount());
        now.put("held", held);
        now.put("waiting", waiting);

        return new Report(
                configuration,
                totals,
                statistics.waitTimes(),
                statistics.holdTimes(),
                now,
                statistics.mostContended(),
                statistics.recentFailures());
    }

    /**
     * Who holds the lock of {@code sessionId} across the cluster, read from the lock itself; with {@code release}
     * {@code true}, also deletes the lock whoever holds it (its holder finds it lost at its next save or renewal),
     * logged at WARN with the prefix {@code AUDIT:}.
     *
     * @param sessionId the full session id, from the request body
     * @param release whether to force the lock free; absent means no
     * @return the holder; a malformed id never reaches the backend and is reported as not held
     */
    @WriteOperation
    public Holder holder(String sessionId, @Nullable Boolean release) {
        String masked = SessionIds.mask(sessionId);
        if (!SessionIds.isValid(sessionId)) {
            return describe(masked, Optional.empty(), false);
        }
        Optional<SessionLockProvider.LockHolder> found = provider.holder(sessionId);
        if (!Boolean.TRUE.equals(release)) {
            return describe(masked, found, false);
        }
        boolean released = provider.forceRelease(sessionId);
        logger.warn("AUDIT: force release of the lock of session " + masked + " through the sessionlocks endpoint: "
                + (released
                        ? "released, holder was ["
                                + found.map(SessionLockProvider.LockHolder::holderInfo)
                                        .orElse("none")
                                + "]"
                        : "no lock was held"));
        return describe(masked, found, released);
    }

    private static Holder describe(String masked, Optional<SessionLockProvider.LockHolder> found, boolean released) {
        if (found.isEmpty()) {
            return new Holder(masked, false, null, null, null, null, null, released);
        }
        Map<String, String> fields = HolderInfo.parse(found.get().holderInfo());
        String since = fields.get("since");
        return new Holder(
                masked,
                true,
                fields.get("node"),
                fields.get("method"),
                fields.get("path"),
                since != null && since.matches("\\d{1,19}") ? Instant.ofEpochMilli(Long.parseLong(since)) : null,
                found.get().ttl().toMillis(),
                released);
    }

    private static Activity describe(SessionLockActivity.Entry entry) {
        return new Activity(
                entry.maskedSessionId(),
                entry.method(),
                entry.path(),
                entry.age().toMillis());
    }

    private static Map<String, Object> configuration(LockSettings settings, Map<String, Object> extra) {
        Map<String, Object> configuration = new LinkedHashMap<>(extra);
        configuration.put("retryDelayMs", settings.retryDelay().toMillis());
        configuration.put("backoff", settings.backoff().name().toLowerCase(Locale.ROOT));
        configuration.put("maxRetryDelayMs", settings.maxRetryDelay().toMillis());
        configuration.put("timeoutMs", settings.timeout().toMillis());
        configuration.put("timeoutExplicit", settings.isTimeoutExplicit());
        configuration.put("lockTtlMs", settings.lockTtl().toMillis());
        configuration.put("maxRequestTimeMs", settings.maxRequestTime().toMillis());
        configuration.put("maxWaitersPerSession", settings.maxWaitersPerSession());
        configuration.put("maxWaitersPerNode", settings.maxWaitersPerNode());
        configuration.put("commandTimeoutMs", settings.commandTimeout().toMillis());
        configuration.put("keyNamespace", settings.keyNamespace());
        return Collections.unmodifiableMap(configuration);
    }
}
