package io.sessionlocking.spring.cache;

import io.sessionlocking.spring.actuate.CacheRegenerationStatistics;
import io.sessionlocking.spring.actuate.CacheRegenerationsEndpoint;
import io.sessionlocking.spring.autoconfigure.SessionLockingProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code cacheregenerations} Actuator endpoint, a sibling of {@code sessionlocks}. */
@AutoConfiguration(after = CacheRegenerationAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({CacheRegeneration.class, CacheRegenerationStatistics.class})
public final class CacheRegenerationEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    CacheRegenerationsEndpoint cacheRegenerationsEndpoint(
            CacheRegeneration regeneration,
            CacheRegenerationStatistics statistics,
            SessionLockingProperties properties) {
        return new CacheRegenerationsEndpoint(
                regeneration, statistics, properties.getCache().getCacheNames());
    }
}
