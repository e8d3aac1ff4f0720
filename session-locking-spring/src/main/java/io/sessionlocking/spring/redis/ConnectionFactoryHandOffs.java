package io.sessionlocking.spring.redis;

import io.sessionlocking.core.HandOffs;
import io.sessionlocking.redis.LettuceHandOffs;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The hand-off announcements of a connection factory: a pub/sub connection of Lettuce's own client behind a {@link
 * LettuceConnectionFactory}; none for other clients (Redisson's factory), whose waiters then poll.
 */
final class ConnectionFactoryHandOffs {

    private static final boolean LETTUCE_PRESENT =
            ClassUtils.isPresent("io.lettuce.core.RedisClient", ConnectionFactoryHandOffs.class.getClassLoader());

    private ConnectionFactoryHandOffs() {}

    static @Nullable HandOffs of(RedisConnectionFactory connectionFactory) {
        return LETTUCE_PRESENT ? Lettuce.of(connectionFactory) : null;
    }

    /** Touches Lettuce's types only when Lettuce is on the classpath. */
    private static final class Lettuce {

        static @Nullable HandOffs of(RedisConnectionFactory connectionFactory) {
            return connectionFactory instanceof LettuceConnectionFactory lettuce
                    ? LettuceHandOffs.connect(lettuce.getRequiredNativeClient())
                    : null;
        }
    }
}
