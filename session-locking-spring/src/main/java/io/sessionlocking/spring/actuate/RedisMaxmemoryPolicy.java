package io.sessionlocking.spring.actuate;

import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reads the policy with {@code INFO memory} on the application's Spring Data Redis connection factory, the one Spring
 * Session writes the sessions with. {@code INFO} rather than {@code CONFIG GET}: managed Redis services commonly
 * disable {@code CONFIG}. In a cluster the reply of every node is searched. Public for the auto-configuration.
 */
public final class RedisMaxmemoryPolicy implements MaxmemoryPolicy {

    private static final String FIELD = "maxmemory_policy";

    private final RedisConnectionFactory connectionFactory;

    public RedisMaxmemoryPolicy(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public @Nullable String read() {
        try (RedisConnection connection = connectionFactory.getConnection()) {
            Properties info = connection.serverCommands().info("memory");
            return info == null ? null : policyIn(info);
        }
    }

    /** The first evicting policy in the reply, else {@code noeviction} when one says so, else {@code null}. */
    static @Nullable String policyIn(Properties info) {
        String found = null;
        for (String name : info.stringPropertyNames()) {
            if (name.equals(FIELD) || name.endsWith("." + FIELD)) {
                String policy = info.getProperty(name).strip();
                if (MaxmemoryPolicy.mayEvict(policy)) {
                    return policy;
                }
                found = policy;
            }
        }
        return found;
    }
}
