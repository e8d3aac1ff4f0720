package io.sessionlocking.spring.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionlocking.spring.metrics.CacheRegenerationMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of cache regeneration ({@code cache.regeneration*}), when Micrometer and a {@link MeterRegistry}
 * are present and the guard is on.
 */
@AutoConfiguration(
        after = CacheRegenerationAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, CacheRegeneration.class})
public final class CacheRegenerationMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CacheRegenerationMetrics cacheRegenerationMetrics(
            MeterRegistry registry, ObjectProvider<CacheRegeneration> regeneration) {
        // Looked up lazily: the guards, which the regeneration bean holds, are built with this listener.
        return new CacheRegenerationMetrics(
                registry,
                name -> regeneration.getObject().waitingCount(name),
                name -> regeneration.getObject().inFlightCount(name));
    }
}
