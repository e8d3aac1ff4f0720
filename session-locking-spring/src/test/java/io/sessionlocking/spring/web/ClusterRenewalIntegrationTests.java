package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.spring.redis.LockingRedisSessions;
import io.sessionlocking.testsupport.redis.RedisCluster;
import io.sessionlocking.testsupport.redis.RedisClusterExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The renewer on a 3-master Cluster with one master frozen (SIGSTOP) for longer than the TTL: each extension goes to
 * its own shard without waiting for the others, so the locks of the two healthy shards keep being extended on time,
 * while those of the frozen shard, with no extension confirmed for a TTL, are reported lost, each once, while it is
 * still frozen (their requests' saves then fail at once instead of waiting for the shard).
 */
class ClusterRenewalIntegrationTests {

    private static final int LOCKS = 60;
    private static final Duration TTL = Duration.ofMillis(600);

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.perClass();

    @Test
    void aFrozenShardLosesItsOwnLocksOnlyAndTheOthersAreExtendedOnTime() {
        RedisCluster cluster = redis.cluster();
        LockSettings settings = LockSettings.builder()
                .lockTtl(TTL)
                .commandTimeout(Duration.ofMillis(400))
                .maxRequestTime(Duration.ofMinutes(1))
                .timeout(Duration.ofSeconds(10))
                .build();
        RecordingListener listener = new RecordingListener();
        Set<String> reportedLost = ConcurrentHashMap.newKeySet();
        AtomicLong lastReportedAt = new AtomicLong();
        List<String> lostTwice = new ArrayList<>();
        List<RedisURI> seeds = cluster.uris().stream().map(RedisURI::create).toList();
        try (LettuceLockStores.Managed client = LettuceLockStores.connectCluster(seeds);
                LockRenewer renewer = new LockRenewer(settings)) {
            RenewedLocks store = new RenewedLocks(client.store());
            SpinLockProvider provider = new SpinLockProvider(store, settings, listener);
            Map<String, SessionLock> locks = new HashMap<>();
            for (int i = 0; i < LOCKS; i++) {
                SessionLock lock = provider.acquire(UUID.randomUUID().toString());
                String key = store.owners.keySet().stream()
                        .filter(k -> !locks.containsKey(k))
                        .findFirst()
                        .orElseThrow();
                locks.put(key, lock);
                renewer.start(lock, loss -> {
                    if (!reportedLost.add(key)) {
                        lostTwice.add(key);
                    }
                    lastReportedAt.set(System.nanoTime());
                });
            }
            RedisNode frozen = cluster.masterOf(locks.keySet().iterator().next());
            List<String> frozenKeys = locks.keySet().stream()
                    .filter(key -> cluster.masterOf(key).equals(frozen))
                    .toList();
            List<String> healthyKeys = locks.keySet().stream()
                    .filter(key -> !frozenKeys.contains(key))
                    .toList();
            assertThat(healthyKeys).as("locks on the two other shards").isNotEmpty();

            frozen.pause();
            long frozenAt = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> reportedLost.size() >= frozenKeys.size());
                // Frozen for more than a TTL in all; meanwhile the other shards' locks are extended as usual.
                await().pollDelay(TTL.multipliedBy(3))
                        .atMost(TTL.multipliedBy(4))
                        .until(() -> true);
                for (String key : healthyKeys) {
                    assertThat(cluster.masterOf(key).command("LINDEX", key, "0"))
                            .as("the owner of %s, on a healthy shard", key)
                            .isEqualTo(store.owners.get(key));
                    assertThat(store.sinceLastConfirmed(key))
                            .as("extended on time while another shard is frozen")
                            .isLessThan(TTL);
                }
            } finally {
                frozen.resume();
                cluster.awaitHealthy(Duration.ofSeconds(30));
            }
            Duration frozenFor = Duration.ofNanos(System.nanoTime() - frozenAt);
            Duration allReportedAfter = Duration.ofNanos(lastReportedAt.get() - frozenAt);

            assertThat(reportedLost)
                    .as("exactly the frozen shard's locks are reported lost")
                    .containsExactlyInAnyOrderElementsOf(frozenKeys);
            assertThat(lostTwice).as("each once").isEmpty();
            assertThat(listener.lost).hasSize(frozenKeys.size());
            assertThat(allReportedAfter)
                    .as("reported while the shard was still frozen, one TTL after the last confirmed extension")
                    .isLessThan(frozenFor);
            await().pollDelay(TTL).atMost(TTL.multipliedBy(2)).until(() -> true);
            for (String key : healthyKeys) {
                assertThat(cluster.masterOf(key).command("LINDEX", key, "0"))
                        .as("still held after the shard came back")
                        .isEqualTo(store.owners.get(key));
            }
            System.out.println("RESULT renewal-cluster-frozen-shard healthy-kept=" + healthyKeys.size() + "/"
                    + healthyKeys.size() + " frozen-reported-lost=" + reportedLost.size() + "/" + frozenKeys.size()
                    + " all-reported-after-ms=" + allReportedAfter.toMillis() + " frozen-ms=" + frozenFor.toMillis()
                    + " longest-gap-ms=" + store.longestGap().toMillis());
            locks.values().forEach(SessionLock::release);
        }
    }

    /** The fused repository's lock on a Cluster: its extensions go through the reactive cluster connection. */
    @Test
    void theFusedLockIsExtendedOnEveryShard() throws Exception {
        RedisCluster cluster = redis.cluster();
        cluster.awaitHealthy(Duration.ofSeconds(30));
        List<String> seeds = cluster.masters().stream()
                .map(node -> "127.0.0.1:" + node.port())
                .toList();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(seeds));
        factory.afterPropertiesSet();
        factory.start();
        LockSettings settings =
                LockSettings.builder().lockTtl(Duration.ofSeconds(20)).build();
        LockStore store = LockingRedisSessions.lockStore(factory, settings);
        try {
            StringRedisTemplate template = new StringRedisTemplate(factory);
            Duration timeout = Duration.ofSeconds(2);
            String owner = "e".repeat(32);
            Set<RedisNode> shards = new HashSet<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = "spring:session:sessions:" + UUID.randomUUID();
                template.opsForHash().putIfAbsent(key, "creationTime", "0");
                assertThat(store.acquire(new AttemptRequest(
                                key,
                                owner,
                                Duration.ofSeconds(20),
                                timeout,
                                AttemptRequest.Queueing.POLL,
                                1,
                                Duration.ofSeconds(20))))
                        .isInstanceOf(AttemptOutcome.Acquired.class);
                shards.add(cluster.masterOf(key));
                keys.add(key);
            }
            assertThat(shards).as("keys on every master").hasSize(3);

            for (String key : keys) {
                assertThat(store.extend(key, owner, Duration.ofMinutes(1), timeout))
                        .succeedsWithin(Duration.ofSeconds(5))
                        .isEqualTo(true);
                assertThat(store.describe(key, timeout).ttl()).isGreaterThan(Duration.ofSeconds(40));
                assertThat(store.extend(key, "f".repeat(32), Duration.ofMinutes(10), timeout))
                        .succeedsWithin(Duration.ofSeconds(5))
                        .isEqualTo(false);
            }
        } finally {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
            factory.destroy();
        }
    }
}
