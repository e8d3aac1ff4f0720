package io.sessionlocking.benchmarks.handoff;

import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A node running Redisson's {@code RLock}: a Redisson client of its own (its own connections and pub/sub wake-up), with
 * small pools and thread counts so that 32 of them fit on a small machine. Its commands are not counted at the client.
 */
final class RedissonContender implements Contender {

    private final RedissonClient client;
    private final RLock lock;

    RedissonContender(String uri, String name) {
        Config config = new Config();
        config.setThreads(2).setNettyThreads(4);
        config.useSingleServer()
                .setAddress(uri)
                .setConnectionPoolSize(2)
                .setConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1);
        this.client = Redisson.create(config);
        this.lock = client.getLock(name);
    }

    @Override
    public void lock() {
        lock.lock();
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public long commandsSent() {
        return -1;
    }

    @Override
    public void close() {
        client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
