package io.sessionlocking.spring.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A non-web application node with one cached, expensive report: {@code @Cacheable(sync = true)} on Boot's Redis
 * cache, guarded by session-locking. What the report's method does is set by the test ({@link #behaviour}); every
 * run is counted in {@link #regenerations}, shared by the nodes of one JVM.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
class ReportApplication {

    static final AtomicInteger regenerations = new AtomicInteger();

    static volatile Callable<String> behaviour = () -> "report";

    /** Starts a node on the Redis at {@code port}; {@code properties} are "name=value" pairs. */
    static ConfigurableApplicationContext start(int port, String... properties) {
        String[] args = new String[properties.length + 7];
        args[0] = "--spring.data.redis.host=127.0.0.1";
        args[1] = "--spring.data.redis.port=" + port;
        args[2] = "--spring.cache.type=redis";
        args[3] = "--spring.cache.redis.time-to-live=10m";
        args[4] = "--session-locking.enabled=false";
        args[5] = "--session-locking.cache.enabled=true";
        args[6] = "--management.endpoints.web.exposure.include=cacheregenerations";
        for (int i = 0; i < properties.length; i++) {
            args[7 + i] = "--" + properties[i];
        }
        return new SpringApplicationBuilder(ReportApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    @Bean
    Reports reports() {
        return new Reports();
    }

    static class Reports {

        @Cacheable(cacheNames = "reports", key = "#name", sync = true)
        public String report(String name) throws Exception {
            regenerations.incrementAndGet();
            return behaviour.call();
        }
    }
}
