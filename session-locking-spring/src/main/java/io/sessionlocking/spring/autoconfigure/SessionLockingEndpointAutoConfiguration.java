package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.actuate.MaxmemoryPolicy;
import io.sessionlocking.spring.actuate.SessionLockStatistics;
import io.sessionlocking.spring.actuate.SessionLocksEndpoint;
import io.sessionlocking.spring.actuate.SessionLocksHealthIndicator;
import io.sessionlocking.spring.web.SessionLockActivity;
import io.sessionlocking.spring.web.SessionLockPolicy;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code sessionlocks} Actuator endpoint and the lock backend's health indicator. */
@AutoConfiguration(after = {SessionLockingAutoConfiguration.class, SessionLockingDiagnosticsAutoConfiguration.class})
@ConditionalOnBean({SessionLockProvider.class, SessionLockStatistics.class})
public final class SessionLockingEndpointAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        SessionLocksEndpoint sessionLocksEndpoint(
                SessionLockProvider provider,
                SessionLockStatistics statistics,
                SessionLockActivity activity,
                LockStore store,
                SessionLockingProperties properties,
                ObjectProvider<SessionLockPolicy> policy) {
            return new SessionLocksEndpoint(
                    provider, statistics, activity, endpointConfiguration(store, properties, policy.getIfAvailable()));
        }

        /** The Spring-side settings the endpoint reports, in a stable order. */
        private static Map<String, Object> endpointConfiguration(
                LockStore store, SessionLockingProperties properties, @Nullable SessionLockPolicy policy) {
            Map<String, Object> configuration = new LinkedHashMap<>();
            configuration.put("handler", "locking");
            configuration.put("backend", store.name());
            // This node's name as the holder descriptions of its locks carry it: which node holds a lock.
            if (policy != null) {
                configuration.put("nodeName", policy.nodeName());
            }
            configuration.put("renew", properties.isRenew());
            configuration.put(
                    "onTimeout",
                    properties.getOnTimeout().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            configuration.put("failureStatus", properties.getFailureStatus());
            return configuration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("sessionLocks")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "sessionLocksHealthIndicator")
        SessionLocksHealthIndicator sessionLocksHealthIndicator(
                SessionLockProvider provider,
                SessionLockStatistics statistics,
                LockStore store,
                ObjectProvider<MaxmemoryPolicy> maxmemoryPolicy) {
            return new SessionLocksHealthIndicator(
                    provider, statistics, store.name(), maxmemoryPolicy.getIfAvailable(() -> MaxmemoryPolicy.UNKNOWN));
        }
    }
}
