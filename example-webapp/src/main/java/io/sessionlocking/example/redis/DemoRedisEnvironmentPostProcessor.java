package io.sessionlocking.example.redis;

import java.util.Map;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the demo a Redis before anything needs one: after the configuration files are read, {@link RedisChoices}
 * decides; unless a Redis is configured or {@code demo.redis=local} asks for the local one, an {@link EmbeddedRedis}
 * is started and {@code spring.data.redis.host/port} point at it.
 * The embedded server is stopped when the application context closes or fails to start (and by embedded-redis's
 * own shutdown hook if the JVM exits otherwise). Logs which Redis is used.
 *
 * <p>Registered in {@code META-INF/spring.factories}; it runs for every {@code SpringApplication} of this module.
 */
public final class DemoRedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "demoRedis";

    private final Log logger;
    private final RedisProbe probe;

    public DemoRedisEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.logger = logs.getLog(DemoRedisEnvironmentPostProcessor.class);
        this.probe = new PingProbe();
    }

    @Override
    public int getOrder() {
        // After the config data (application.yml, profiles, command line) is in the environment.
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        RedisChoice choice = RedisChoices.decide(environment, probe);
        logger.info(choice.describe());
        if (choice instanceof RedisChoice.Local local) {
            pointAt(environment, local.host(), local.port());
        } else if (choice instanceof RedisChoice.Embedded) {
            EmbeddedRedis redis = EmbeddedRedis.start();
            application.addListeners(new StopOnShutdown(redis));
            pointAt(environment, EmbeddedRedis.HOST, redis.port());
            logger.info("Using embedded Redis on port " + redis.port() + "; it stops with this instance, so a second "
                    + "instance started with --spring.data.redis.port=" + redis.port() + " loses its Redis then");
        }
    }

    private static void pointAt(ConfigurableEnvironment environment, String host, int port) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        PROPERTY_SOURCE, Map.of("spring.data.redis.host", host, "spring.data.redis.port", port)));
    }

    /** Stops the embedded Redis with the application's own context, not with a child context. */
    private static final class StopOnShutdown implements ApplicationListener<ApplicationEvent> {

        private final EmbeddedRedis redis;
        private volatile @Nullable ApplicationContext context;

        StopOnShutdown(EmbeddedRedis redis) {
            this.redis = redis;
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ApplicationPreparedEvent prepared) {
                context = prepared.getApplicationContext();
            } else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context
                    || event instanceof ApplicationFailedEvent) {
                redis.close();
            }
        }
    }
}
