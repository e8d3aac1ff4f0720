package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.spring.autoconfigure.SessionLockingProperties.Backend;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Chooses the lock backend in one place: {@code session-locking.backend} when set; otherwise Redisson when a {@code
 * RedissonClient} bean exists, else Redis (Lettuce) when a {@code RedisConnectionFactory} bean exists, else memory.
 * One condition per backend asks it, so the choice never depends on the order configurations are read in.
 */
final class BackendSelection {

    static final String PROPERTY = SessionLockingAutoConfiguration.PREFIX + ".backend";
    private static final String REDISSON_CLIENT = "org.redisson.api.RedissonClient";
    private static final String CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";
    private static final String LETTUCE_FACTORY =
            "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    private BackendSelection() {}

    static Backend select(ConditionContext context) {
        String configured = context.getEnvironment().getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            try {
                return Backend.valueOf(
                        configured.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(
                        PROPERTY, configured, "allowed values are redis, redisson and memory");
            }
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        if (beans != null && hasBean(beans, REDISSON_CLIENT, context.getClassLoader())) {
            return Backend.REDISSON;
        }
        // Any connection factory, not only one declared as Lettuce's: a bean method may well return the interface.
        if (beans != null
                && ClassUtils.isPresent(LETTUCE_FACTORY, context.getClassLoader())
                && hasBean(beans, CONNECTION_FACTORY, context.getClassLoader())) {
            return Backend.REDIS;
        }
        return Backend.MEMORY;
    }

    private static boolean hasBean(ConfigurableListableBeanFactory beans, String type, @Nullable ClassLoader loader) {
        if (!ClassUtils.isPresent(type, loader)) {
            return false;
        }
        return beans.getBeanNamesForType(ClassUtils.resolveClassName(type, loader), true, false).length > 0;
    }

    /** Matches when the selected backend is this condition's. */
    abstract static class OnBackend extends SpringBootCondition implements ConfigurationCondition {

        private final Backend backend;

        OnBackend(Backend backend) {
            this.backend = backend;
        }

        @Override
        public ConfigurationPhase getConfigurationPhase() {
            // Bean definitions of earlier auto-configurations (the Redis clients) must be visible.
            return ConfigurationPhase.REGISTER_BEAN;
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Backend selected = select(context);
            String message = "session lock backend is " + selected.name().toLowerCase(Locale.ROOT);
            return selected == backend ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
        }
    }

    static final class OnRedisson extends OnBackend {
        OnRedisson() {
            super(Backend.REDISSON);
        }
    }

    static final class OnRedis extends OnBackend {
        OnRedis() {
            super(Backend.REDIS);
        }
    }

    static final class OnMemory extends OnBackend {
        OnMemory() {
            super(Backend.MEMORY);
        }
    }
}
