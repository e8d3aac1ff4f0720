package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisExtensionPerTestIntegrationTests {

    private static final List<RedisNode> seen = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final RedisExtension redis = RedisExtension.perTest();

    @RepeatedTest(2)
    void everyTestGetsAFreshNode(RedisNode node) {
        assertThat(node).isSameAs(redis.node());
        assertThat(seen).doesNotContain(node);
        assertThat(node.command("DBSIZE")).isEqualTo("0");
        node.command("SET", "left", "behind");
        seen.add(node);
    }

    @AfterAll
    static void everyNodeWasClosed() {
        assertThat(seen).hasSize(2).noneMatch(RedisNode::isRunning);
    }
}
