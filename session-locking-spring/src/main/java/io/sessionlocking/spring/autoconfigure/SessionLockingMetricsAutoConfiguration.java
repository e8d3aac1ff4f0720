package io.sessionlocking.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.metrics.ObservedLockWait;
import io.sessionlocking.spring.metrics.SessionLockMetrics;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.spring.web.LockWaitObserver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer metrics of session locking ({@code session.lock.*}), when Micrometer and a {@link MeterRegistry} are
 * present and the locking handler is active.
 */
@AutoConfiguration(
        after = SessionLockingAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, SessionLockProvider.class})
public final class SessionLockingMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SessionLockMetrics sessionLockMetrics(
            MeterRegistry registry,
            LockStore store,
            ObjectProvider<SessionLockProvider> provider,
            ObjectProvider<LockRenewer> renewer) {
        SessionLockMetrics metrics = new SessionLockMetrics(registry, "locking", store.name(), provider::getObject);
        renewer.ifAvailable(metrics::bindRenewer);
        return metrics;
    }

    /** Each lock wait as an observation: a span of the request's trace when tracing is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockWaitObserver.class)
        ObservedLockWait sessionLockWaitObserver(ObservationRegistry registry, LockStore store) {
            return new ObservedLockWait(registry, store.name());
        }
    }
}
