package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterIntegrationTests {

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.perClass();

    @BeforeEach
    void emptyEveryNode(RedisCluster cluster) {
        cluster.nodes().forEach(RedisNode::flushAll);
    }

    @Test
    void everyNodeSeesAHealthyClusterOfThreeMastersCoveringAllSlots(RedisCluster cluster) {
        assertThat(cluster.nodes()).hasSize(3);
        assertThat(cluster.uris())
                .containsExactlyElementsOf(
                        cluster.nodes().stream().map(RedisNode::uri).toList());
        for (RedisNode node : cluster.nodes()) {
            assertThat(node.command("CLUSTER", "INFO"))
                    .contains("cluster_state:ok")
                    .contains("cluster_known_nodes:3")
                    .contains("cluster_slots_assigned:16384")
                    .contains("cluster_size:3");
        }
        assertThat(cluster.isHealthy()).isTrue();
    }

    @Test
    void lettuceClusterClientRoutesKeysToEveryNode(RedisCluster cluster) {
        List<String> keys = oneKeyPerNode();
        RedisClusterClient client = RedisClusterClient.create(
                cluster.uris().stream().map(RedisURI::create).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> commands = connection.sync();
            for (String key : keys) {
                commands.set(key, "value-of-" + key);
            }
            for (String key : keys) {
                assertThat(commands.get(key)).isEqualTo("value-of-" + key);
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        for (int i = 0; i < cluster.nodes().size(); i++) {
            RedisNode node = cluster.nodes().get(i);
            assertThat(node.command("DBSIZE")).as(node.uri()).isEqualTo("1");
            assertThat(node.command("GET", keys.get(i))).isEqualTo("value-of-" + keys.get(i));
        }
    }

    @Test
    void restartedNodeRejoinsWithItsSlots(RedisCluster cluster) {
        RedisNode second = cluster.nodes().get(1);
        String nodeId = second.command("CLUSTER", "MYID");

        second.kill();
        second.restart();
        cluster.awaitHealthy(Duration.ofSeconds(30));

        assertThat(second.command("CLUSTER", "MYID")).isEqualTo(nodeId);
        String key = oneKeyPerNode().get(1);
        assertThat(second.command("SET", key, "back")).isEqualTo("OK");
    }

    /** Keys whose slots fall in the ranges of node 0, 1 and 2 respectively (0-5460, 5461-10921, 10922-16383). */
    private static List<String> oneKeyPerNode() {
        List<String> keys = new ArrayList<>(List.of("", "", ""));
        for (int n = 0; keys.contains(""); n++) {
            String key = "key-" + n;
            int node = SlotHash.getSlot(key) * 3 / 16384;
            if (keys.get(node).isEmpty()) {
                keys.set(node, key);
            }
        }
        return keys;
    }
}
