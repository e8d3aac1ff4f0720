package io.sessionlocking.redisson;

import io.sessionlocking.core.LockStore;
import io.sessionlocking.redis.AbstractRedisLockStoreIntegrationTests;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

class RedissonLockStoreIntegrationTests extends AbstractRedisLockStoreIntegrationTests {

    @Override
    protected LockStore connect(String uri) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress(uri)
                .setConnectTimeout(1000)
                .setTimeout(2000)
                .setRetryAttempts(0)
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(64);
        RedissonClient client = Redisson.create(config);
        closeAfterTest(() -> client.shutdown(0, 2, TimeUnit.SECONDS));
        return new RedissonLockStore(client);
    }
}
