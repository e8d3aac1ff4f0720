package io.sessionlocking.spring.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.spring.web.SessionLockActivity;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Records session lock events as Micrometer meters. Names are constants in base units; tags are {@code handler} and
 * {@code backend} plus one per meter ({@code outcome}, {@code reason}, {@code rule}) with a small, fixed set of
 * values. Thread-safe; every method is a few map look-ups.
 */
public final class SessionLockMetrics implements SessionLockListener, SessionLockActivity.Observer {

    /** Timer of the wait for a lock, tagged {@code outcome}: acquired or the failure reason. */
    public static final String ACQUIRE = "session.lock.acquire";
    /** Counter of failed acquisitions, tagged {@code exception} and {@code reason}. */
    public static final String FAILURES = "session.lock.failures";
    /** Timer of how long locks were held, recorded at release. */
    public static final String HELD = "session.lock.held";
    /** Long task timer of the locks held now. */
    public static final String ACTIVE = "session.lock.active";
    /** Gauge of the requests waiting for a lock now. */
    public static final String WAITING = "session.lock.waiting";
    /** Distribution of backend attempts per acquisition: the Redis load that spinning causes. */
    public static final String ATTEMPTS = "session.lock.attempts";
    /** Counter of locks found expired or taken over by their holder. */
    public static final String LOST = "session.lock.lost";
    /** Counter of requests served read-only, tagged {@code rule}. */
    public static final String SKIPPED = "session.lock.skipped";
    /**
     * Counter of requests whose session store failed in Spring Session's load or save, not in the lock (those are
     * {@value #FAILURES}), tagged {@code committed}: {@code false} answered 503, {@code true} after the commit.
     */
    public static final String STORE_FAILURES = "session.store.failures";

    /**
     * Counter of renewal ticks that sent no extension because the lock's last one was still unanswered: Redis answers
     * slower than a third of the lock TTL. Registered with {@link #bindRenewer}.
     */
    public static final String RENEWALS_SKIPPED = "session.lock.renewals.skipped";

    static final String ACQUIRED = "acquired";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, Timer> acquireTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> failureCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipCounters = new ConcurrentHashMap<>();
    private final Map<SessionLockActivity.Entry, LongTaskTimer.Sample> activeSamples = new ConcurrentHashMap<>();
    private final Timer held;
    private final LongTaskTimer active;
    private final DistributionSummary attempts;
    private final Counter lost;
    private final Counter storeFailures;
    private final Counter storeFailuresAfterCommit;

    /**
     * @param provider the provider whose waiters the {@value #WAITING} gauge reports; looked up lazily, since the
     *     provider itself is built with this listener
     */
    public SessionLockMetrics(
            MeterRegistry registry, String handler, String backend, Supplier<SessionLockProvider> provider) {
        this.registry = registry;
        this.tags = Tags.of("handler", handler, "backend", backend);
        this.held = Timer.builder(HELD)
                .description("Time session locks were held, from acquisition to release")
                .tags(tags)
                .register(registry);
        this.active = LongTaskTimer.builder(ACTIVE)
                .description("Session locks held now")
                .tags(tags)
                .register(registry);
        this.attempts = DistributionSummary.builder(ATTEMPTS)
                .description("Backend attempts per session lock acquisition")
                .tags(tags)
                .register(registry);
        this.lost = Counter.builder(LOST)
                .description("Session locks found expired or taken over when extended or released")
                .tags(tags)
                .register(registry);
        this.storeFailures = storeFailures(false);
        this.storeFailuresAfterCommit = storeFailures(true);
        Gauge.builder(WAITING, () -> provider.get().waitingCount())
                .description("Requests waiting for a session lock now")
                .tags(tags)
                .register(registry);
        acquireTimer(ACQUIRED);
    }

    /** Registers {@value #RENEWALS_SKIPPED}, read from {@code renewer}, with this instance's tags. */
    public void bindRenewer(LockRenewer renewer) {
        FunctionCounter.builder(RENEWALS_SKIPPED, renewer, LockRenewer::skippedExtensions)
                .description("Renewal ticks that skipped a lock whose last extension was still unanswered")
                .tags(tags)
                .register(registry);
    }

    @Override
    public void onAcquired(Acquired event) {
        acquireTimer(ACQUIRED).record(event.waited());
        attempts.record(event.attempts());
    }

    @Override
    public void onFailed(LockCouldNotBeAcquiredException exception) {
        String reason = exception.reason().name().toLowerCase(Locale.ROOT);
        acquireTimer(reason).record(exception.waited());
        attempts.record(exception.attempts());
        failureCounters
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder(FAILURES)
                                .description("Session lock acquisitions that failed")
                                .tags(tags)
                                .tag("exception", LockCouldNotBeAcquiredException.class.getSimpleName())
                                .tag("reason", r)
                                .register(registry))
                .increment();
    }

    @Override
    public void onReleased(Released event) {
        held.record(event.held());
    }

    @Override
    public void onLost(Lost event) {
        lost.increment();
    }

    @Override
    public void onHoldStarted(SessionLockActivity.Entry entry) {
        activeSamples.put(entry, active.start());
    }

    @Override
    public void onHoldEnded(SessionLockActivity.Entry entry) {
        LongTaskTimer.Sample sample = activeSamples.remove(entry);
        if (sample != null) {
            sample.stop();
        }
    }

    @Override
    public void onStoreFailed(boolean committed) {
        (committed ? storeFailuresAfterCommit : storeFailures).increment();
    }

    private Counter storeFailures(boolean committed) {
        return Counter.builder(STORE_FAILURES)
                .description("Requests whose session store failed in Spring Session's load or save")
                .tags(tags)
                .tag("committed", Boolean.toString(committed))
                .register(registry);
    }

    @Override
    public void onSkipped(String rule) {
        skipCounters
                .computeIfAbsent(
                        rule,
                        r -> Counter.builder(SKIPPED)
                                .description("Requests served read-only, without the session lock")
                                .tags(tags)
                                .tag("rule", r)
                                .register(registry))
                .increment();
    }

    private Timer acquireTimer(String outcome) {
        return acquireTimers.computeIfAbsent(
                outcome,
                o -> Timer.builder(ACQUIRE)
                        .description("Time spent acquiring session locks")
                        .tags(tags)
                        .tag("outcome", o)
                        .publishPercentileHistogram(false)
                        .register(registry));
    }
}
