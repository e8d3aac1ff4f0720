package io.sessionlocking.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.testsupport.redis.RedisCluster;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LettuceLockStoreIntegrationTests extends AbstractRedisLockStoreIntegrationTests {

    @Override
    protected LockStore connect(String uri) {
        return closeAfterTest(LettuceLockStores.connect(RedisURI.create(uri))).store();
    }

    @Test
    void locksSessionsAcrossAClusterOneKeyPerSlot() {
        try (RedisCluster cluster = RedisCluster.start();
                LettuceLockStores.Managed managed = LettuceLockStores.connectCluster(
                        cluster.uris().stream().map(RedisURI::create).toList())) {
            SessionLockProvider provider =
                    new SpinLockProvider(managed.store(), settings().build());
            List<SessionLock> locks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                locks.add(provider.acquire(newSessionId()));
            }
            long nodesWithLocks = cluster.nodes().stream()
                    .filter(node -> Long.parseLong(node.command("DBSIZE")) > 0)
                    .count();
            assertThat(nodesWithLocks).as("locks spread over the masters").isGreaterThan(1);
            for (SessionLock lock : locks) {
                assertThat(lock.release()).isTrue();
            }
            assertThat(cluster.nodes())
                    .allSatisfy(node -> assertThat(node.command("DBSIZE")).isEqualTo("0"));
        }
    }

    @Test
    void aStoreCanBeBuiltOnAConnectionTheApplicationOwns() {
        RedisNode node = redis.node();
        try (var client = io.lettuce.core.RedisClient.create(node.uri());
                var connection = client.connect(io.lettuce.core.codec.StringCodec.UTF8)) {
            SessionLockProvider provider = new SpinLockProvider(
                    new LettuceLockStore(connection.async()), settings().build());
            assertThat(provider.acquire(newSessionId()).release()).isTrue();
        }
    }
}
