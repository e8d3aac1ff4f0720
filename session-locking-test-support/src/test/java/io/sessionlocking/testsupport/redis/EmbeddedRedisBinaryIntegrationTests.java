package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.BinaryResolver.Environment;
import io.sessionlocking.testsupport.redis.RedisBinary.Source;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the fallback to the binary inside the embedded-redis jar works here, even with redis-server on PATH. */
class EmbeddedRedisBinaryIntegrationTests {

    @Test
    void forcedEmbeddedSourceStartsANodeThatAnswersPing() {
        Environment forced = new Environment(
                System.getenv("PATH"), System.getProperty("os.name"), System.getProperty("os.arch"), "embedded", () -> {
                    throw new AssertionError("Docker must not be probed when a source is forced");
                });

        RedisBinary binary = new BinaryResolver(forced).resolveDefault();

        assertThat(binary.source()).isEqualTo(Source.EMBEDDED);
        assertThat(binary.version()).startsWith("6.2.");
        assertThat(binary.executable()).get().asString().contains("redis-server-6.2");
        try (RedisNode node = RedisNode.start(RedisNodeOptions.defaults().withBinary(binary))) {
            assertThat(node.command("PING")).isEqualTo("PONG");
            assertThat(node.command("INFO", "server")).contains("redis_version:6.2.");
        }
    }

    @Test
    void embeddedIsTheFallbackWhenPathHasNoRedisServer(@TempDir Path emptyPath) {
        Environment noPath = new Environment(
                emptyPath.toString(), System.getProperty("os.name"), System.getProperty("os.arch"), null, () -> false);

        assertThat(new BinaryResolver(noPath).resolveDefault().source()).isEqualTo(Source.EMBEDDED);
    }

    @Test
    void clusterFormsWithTheRedis62AddSlotsFallback() {
        RedisBinary embedded = RedisBinary.resolve(Source.EMBEDDED);

        try (RedisCluster cluster =
                RedisCluster.start(RedisNodeOptions.defaults().withBinary(embedded))) {
            assertThat(cluster.isHealthy()).isTrue();
            assertThat(cluster.nodes().get(0).command("CLUSTER", "INFO")).contains("cluster_slots_assigned:16384");
            assertThat(cluster.nodes().get(2).command("INFO", "server")).contains("redis_version:6.2.");
        }
    }
}
