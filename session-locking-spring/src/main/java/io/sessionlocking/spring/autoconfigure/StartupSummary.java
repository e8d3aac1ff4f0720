package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockProvider;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.session.SessionRepository;

/**
 * Logs one INFO line, once the application's beans exist, with the session locking in effect: the handler, the lock
 * backend, the session repository it guards, and the timings as they were derived. For example:
 *
 * <pre>
 * Session locking: handler=locking, backend=redis-session, repository=LockingRedisSessionRepository (fused),
 * timeout=24s (0.8 x max-request-time=30s), lock-ttl=30s (renewed every 10s), retry-delay=10ms (fixed),
 * max-waiters-per-session=16, max-waiters-per-node=100, command-timeout=2s, on-timeout=fail (503)
 * </pre>
 *
 * Durations are written as the properties take them, in Spring Boot's simple style.
 */
final class StartupSummary implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(StartupSummary.class);
    private static final String FUSED = "io.sessionlocking.spring.redis.LockingRedisSessionRepository";
    private static final ChronoUnit[] UNITS = {
        ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS
    };

    private final SessionLockingProperties properties;
    private final ObjectProvider<SessionLockProvider> provider;
    private final ObjectProvider<LockStore> store;
    private final ObjectProvider<SessionRepository<?>> repositories;

    StartupSummary(
            SessionLockingProperties properties,
            ObjectProvider<SessionLockProvider> provider,
            ObjectProvider<LockStore> store,
            ObjectProvider<SessionRepository<?>> repositories) {
        this.properties = properties;
        this.provider = provider;
        this.store = store;
        this.repositories = repositories;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (logger.isInfoEnabled()) {
            logger.info(line());
        }
    }

    String line() {
        StringBuilder line = new StringBuilder("Session locking: handler=").append(kebab(properties.getHandler()));
        SessionLockProvider locks = provider.getIfAvailable();
        LockStore backend = store.getIfAvailable();
        if (locks == null || backend == null) {
            return line.append(" (the plain repository, no locks), repository=")
                    .append(repository())
                    .toString();
        }
        LockSettings settings = locks.settings();
        line.append(", backend=").append(backend.name());
        line.append(", repository=").append(repository());
        line.append(", timeout=").append(print(settings.timeout()));
        if (!settings.isTimeoutExplicit()) {
            line.append(" (")
                    .append(settings.timeoutFraction())
                    .append(" x max-request-time=")
                    .append(print(settings.maxRequestTime()))
                    .append(')');
        }
        line.append(", lock-ttl=").append(print(settings.lockTtl()));
        line.append(
                properties.isRenew()
                        ? " (renewed every " + print(renewalPeriod(settings)) + ")"
                        : " (not renewed: it must outlast the longest request)");
        line.append(", retry-delay=").append(print(settings.retryDelay()));
        line.append(
                settings.backoff() == LockSettings.Backoff.FIXED
                        ? " (fixed)"
                        : " (exponential up to " + print(settings.maxRetryDelay()) + ")");
        line.append(", max-waiters-per-session=").append(settings.maxWaitersPerSession());
        line.append(", max-waiters-per-node=").append(settings.maxWaitersPerNode());
        line.append(", command-timeout=").append(print(settings.commandTimeout()));
        line.append(", on-timeout=").append(kebab(properties.getOnTimeout()));
        if (properties.getOnTimeout() == io.sessionlocking.spring.web.OnTimeout.FAIL) {
            line.append(" (").append(properties.getFailureStatus()).append(')');
        }
        return line.toString();
    }

    /** The renewer's period: a third of the TTL, at least 1 ms ({@code LockRenewer}). */
    private static Duration renewalPeriod(LockSettings settings) {
        Duration third = settings.lockTtl().dividedBy(3);
        return third.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : third.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The repository bean's class, and whether the lock lives in it (fused) or around it (decorated). */
    private String repository() {
        SessionRepository<?> repository = repositories.getIfUnique();
        if (repository == null) {
            return "none";
        }
        Class<?> type = AopProxyUtils.ultimateTargetClass(repository);
        if (provider.getIfAvailable() == null) {
            return type.getSimpleName();
        }
        return type.getSimpleName() + (type.getName().equals(FUSED) ? " (fused)" : " (decorated)");
    }

    /** A duration in the largest unit that holds it exactly. */
    static String print(Duration duration) {
        for (ChronoUnit unit : UNITS) {
            if (!duration.isZero() && duration.toNanos() % unit.getDuration().toNanos() == 0) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration, ChronoUnit.NANOS);
    }

    private static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
