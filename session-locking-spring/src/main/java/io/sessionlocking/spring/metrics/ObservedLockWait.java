package io.sessionlocking.spring.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sessionlocking.spring.web.LockWaitObserver;
import java.util.function.Supplier;

/**
 * Each wait for a session lock as a Micrometer {@link Observation} named {@value #NAME}: with tracing on the
 * classpath it becomes a span of the request's trace (so an APM shows the time a request spent waiting for its
 * session, and a {@code LockCouldNotBeAcquiredException} as the span's error). Low-cardinality key {@code backend};
 * the masked session id is a high-cardinality key, which spans carry and metrics never do.
 */
public final class ObservedLockWait implements LockWaitObserver {

    /** Name of the observation (and of its timer, when a meter handler is registered). */
    public static final String NAME = "session.lock.wait";

    private final ObservationRegistry registry;
    private final String backend;

    public ObservedLockWait(ObservationRegistry registry, String backend) {
        this.registry = registry;
        this.backend = backend;
    }

    @Override
    public <T> T observe(String maskedSessionId, Supplier<T> acquisition) {
        return Observation.createNotStarted(NAME, registry)
                .contextualName("session lock wait")
                .lowCardinalityKeyValue("backend", backend)
                .highCardinalityKeyValue("session", maskedSessionId)
                .observe(acquisition);
    }
}
