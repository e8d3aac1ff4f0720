package io.sessionlocking.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.sessionlocking.cache.Loader;
import io.sessionlocking.cache.Readers;
import io.sessionlocking.cache.RegenerationGuard;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.ValueCodec;
import io.sessionlocking.testsupport.redis.RedisCluster;
import io.sessionlocking.testsupport.redis.RedisClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stampede on the fixture's three-master Redis Cluster: each entry is one key, so value, metadata and lock live
 * on the master that owns its slot, and the fill notification reaches waiters connected to any master.
 */
class LettuceEntryStoreClusterIntegrationTests {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.perClass();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private RegenerationGuard<String> node(RedisCluster cluster) {
        LettuceEntryStores.Managed store = LettuceEntryStores.connectCluster(
                cluster.uris().stream().map(RedisURI::create).toList());
        RegenerationGuards guards = RegenerationGuards.builder(store.store()).build();
        closeables.add(store);
        closeables.add(guards);
        return guards.guard("reports", RegenerationSettings.defaults(), ValueCodec.utf8());
    }

    @Test
    void twoHundredReadersOnTwoNodesRegenerateEachKeyOnceOnAnyMaster(RedisCluster cluster) throws Exception {
        List<RegenerationGuard<String>> guards = List.of(node(cluster), node(cluster));
        List<byte[]> keys = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            keys.add(("reports::cluster-" + k).getBytes(StandardCharsets.UTF_8));
        }
        cluster.nodes().forEach(node -> node.command("FLUSHALL"));
        ConcurrentHashMap<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);

        Readers readers = Readers.start(200, i -> () -> {
                    byte[] key = keys.get(i % keys.size());
                    String name = new String(key, StandardCharsets.UTF_8);
                    Loader<String> loader = () -> {
                        loads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                        assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                .isTrue();
                        return "value of " + name;
                    };
                    return name + "=" + guards.get(i % 2).get(key, Duration.ofMinutes(1), loader);
                })
                .go();
        await().atMost(BOUND)
                .until(() -> guards.get(0).waitingCount() + guards.get(1).waitingCount() == 200 - keys.size());
        release.countDown();

        List<Readers.Result> results = readers.await(BOUND);
        assertThat(results).hasSize(200).allSatisfy(r -> {
            String[] parts = r.value().split("=", 2);
            assertThat(parts[1]).isEqualTo("value of " + parts[0]);
        });
        assertThat(loads).hasSize(keys.size());
        assertThat(loads.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        long mastersWithEntries = cluster.nodes().stream()
                .filter(node -> Long.parseLong(node.command("DBSIZE")) > 0)
                .count();
        assertThat(mastersWithEntries).as("entries spread over the masters").isGreaterThan(1);
    }
}
