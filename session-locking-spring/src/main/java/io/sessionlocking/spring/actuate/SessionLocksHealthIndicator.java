package io.sessionlocking.spring.actuate;

import io.sessionlocking.core.SessionLockProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the lock backend: UP when it answers a lock look-up within the command timeout, DOWN when it does not.
 * Lock failures do not change the status (one busy session must not take the application out of its load balancer);
 * their recent rate is in the details.
 */
public class SessionLocksHealthIndicator extends AbstractHealthIndicator {

    /** A session id no real session has; looking it up reads one key. */
    static final String PROBE_SESSION_ID = "session-locking-health-probe";

    private final SessionLockProvider provider;
    private final SessionLockStatistics statistics;
    private final String backend;

    public SessionLocksHealthIndicator(SessionLockProvider provider, SessionLockStatistics statistics, String backend) {
        super("Session lock backend is unavailable");
        this.provider = provider;
        this.statistics = statistics;
        this.backend = backend;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("backend", backend)
                .withDetail("waiting", provider.waitingCount())
                .withDetail("recentFailureRate", Math.round(statistics.recentFailureRate() * 1000) / 1000.0);
        provider.holder(PROBE_SESSION_ID);
        builder.up();
    }
}
