package io.sessionlocking.spring.actuate;

import io.sessionlocking.core.SessionLockProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the lock backend: UP when it answers a lock look-up, DOWN when it fails or does not answer within the
 * indicator's own {@link #timeout()} (at most {@value #MAX_TIMEOUT_MILLIS} ms, less when the command timeout is
 * shorter), so that a hung Redis never holds up the health endpoint. Lock failures do not change the status (one busy
 * session must not take the application out of its load balancer); their recent rate is in the details, and so is
 * Redis's {@code maxmemory-policy} with a warning when it may evict sessions and locks (the status stays UP).
 *
 * <p>One probe runs at a time, on a thread of its own: while a probe hangs, health checks wait for it (up to their
 * timeout) rather than piling up more. Logging during an outage is one WARN line when the backend goes down, without a
 * stack trace (at DEBUG with it), and one INFO line when it is back: not a stack trace per probe.
 */
public class SessionLocksHealthIndicator implements HealthIndicator, DisposableBean {

    /** A session id no real session has; looking it up reads one key. */
    static final String PROBE_SESSION_ID = "session-locking-health-probe";

    static final long MAX_TIMEOUT_MILLIS = 1000;

    private static final Log logger = LogFactory.getLog(SessionLocksHealthIndicator.class);

    private final SessionLockProvider provider;
    private final SessionLockStatistics statistics;
    private final String backend;
    private final MaxmemoryPolicy maxmemoryPolicy;
    private final Duration timeout;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "session-lock-health");
        thread.setDaemon(true);
        return thread;
    });
    private @Nullable CompletableFuture<@Nullable String> probe;
    private boolean down;

    public SessionLocksHealthIndicator(SessionLockProvider provider, SessionLockStatistics statistics, String backend) {
        this(provider, statistics, backend, MaxmemoryPolicy.UNKNOWN);
    }

    public SessionLocksHealthIndicator(
            SessionLockProvider provider,
            SessionLockStatistics statistics,
            String backend,
            MaxmemoryPolicy maxmemoryPolicy) {
        this.provider = provider;
        this.statistics = statistics;
        this.backend = backend;
        this.maxmemoryPolicy = maxmemoryPolicy;
        Duration max = Duration.ofMillis(MAX_TIMEOUT_MILLIS);
        Duration command = provider.settings().commandTimeout();
        // A little over the command timeout when it is the shorter, so that the store's own error is what is seen.
        this.timeout = command.compareTo(max) < 0 ? command.plusMillis(50) : max;
    }

    /** How long a health check waits for the backend. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Health health() {
        Health.Builder builder = new Health.Builder()
                .withDetail("backend", backend)
                .withDetail("waiting", provider.waitingCount())
                .withDetail("recentFailureRate", Math.round(statistics.recentFailureRate() * 1000) / 1000.0);
        try {
            String policy = currentProbe().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (policy != null) {
                builder.withDetail("maxmemoryPolicy", policy);
                if (MaxmemoryPolicy.mayEvict(policy)) {
                    builder.withDetail("warning", MaxmemoryPolicy.warning(policy));
                }
            }
            up();
            return builder.up().build();
        } catch (TimeoutException e) {
            String error = "no answer within " + timeout.toMillis() + " ms";
            down(error, e);
            return builder.down().withDetail("error", error).build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            down(error, cause);
            return builder.down().withDetail("error", error).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return builder.unknown().withDetail("error", "interrupted").build();
        }
    }

    /** The running probe, or a new one when none runs. */
    private synchronized CompletableFuture<@Nullable String> currentProbe() {
        CompletableFuture<@Nullable String> running = probe;
        if (running == null || running.isDone()) {
            running = CompletableFuture.supplyAsync(this::probeOnce, prober);
            probe = running;
        }
        return running;
    }

    private @Nullable String probeOnce() {
        provider.holder(PROBE_SESSION_ID);
        try {
            return maxmemoryPolicy.read();
        } catch (RuntimeException e) {
            // Locks answer; the policy is a detail (INFO may be renamed or denied).
            logger.debug("Could not read Redis's maxmemory-policy", e);
            return null;
        }
    }

    private synchronized void down(String error, Throwable cause) {
        if (!down) {
            down = true;
            logger.warn("Session lock backend " + backend + " is unavailable: " + error);
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Session lock health probe failed", cause);
        }
    }

    private synchronized void up() {
        if (down) {
            down = false;
            logger.info("Session lock backend " + backend + " is available again");
        }
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
    }
}
