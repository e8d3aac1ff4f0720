package io.sessionlocking.spring.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.spring.data.connection.RedissonConnectionFactory;

/** The fused repository on Redisson's {@code RedissonConnectionFactory}: the same scenarios, the same outcomes. */
class RedissonLockingRedisSessionRepositoryIntegrationTests
        extends AbstractLockingRedisSessionRepositoryIntegrationTests {

    private RedissonClient redisson;

    @Override
    FusedSessions fixture(int port) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port);
        redisson = Redisson.create(config);
        return new FusedSessions(new RedissonConnectionFactory(redisson), FusedSessions.testSettings()) {
            @Override
            public void close() {
                redisson.shutdown();
            }
        };
    }
}
