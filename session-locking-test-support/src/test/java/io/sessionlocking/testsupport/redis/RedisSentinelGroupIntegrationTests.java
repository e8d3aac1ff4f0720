package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real sentinels; skipped, with the fixture's reason, only where Sentinel cannot run (a Testcontainers-only box). */
class RedisSentinelGroupIntegrationTests {

    private static final Duration FAILOVER = Duration.ofSeconds(30);

    private static final Duration ACKNOWLEDGEMENT = Duration.ofSeconds(10);

    @BeforeAll
    static void sentinelIsAvailable() {
        assumeTrue(
                RedisSentinelGroup.isAvailable(),
                () -> RedisSentinelGroup.unavailableReason().orElse(""));
    }

    @Test
    void aKilledMasterIsReplacedAndLettuceFollowsThroughTheSentinel() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
            RedisNode master = group.master();
            assertThat(master).isEqualTo(group.dataNodes().get(0));
            assertThat(group.replica()).isEqualTo(group.dataNodes().get(1));
            assertThat(group.sentinels().get(0).command("INFO", "server")).contains("redis_mode:sentinel");
            RedisClient client = RedisClient.create(RedisURI.create(group.sentinelUri()));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("k", "replicated");
                // On the connection that wrote: WAIT counts acknowledgements of its own connection's writes.
                assertThat(connection.sync().waitForReplication(1, ACKNOWLEDGEMENT.toMillis()))
                        .isEqualTo(1L);

                RedisNode promoted = group.killMasterAndAwaitFailover(FAILOVER);

                assertThat(promoted).isEqualTo(group.dataNodes().get(1));
                assertThat(group.master()).isEqualTo(promoted);
                assertThat(promoted.command("GET", "k")).isEqualTo("replicated");
                await().atMost(FAILOVER)
                        .ignoreExceptions()
                        .until(() -> "OK".equals(connection.sync().set("k", "after")));
                assertThat(promoted.command("GET", "k")).isEqualTo("after");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void threeSentinelsFindEachOtherAndAllReportTheForcedFailover() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start(3)) {
            assertThat(group.sentinelAddresses()).hasSize(3).allMatch(address -> address.startsWith("127.0.0.1:"));
            assertThat(group.masterName()).isEqualTo(RedisSentinelGroup.MASTER_NAME);
            RedisNode oldMaster = group.master();

            RedisNode promoted = group.failover();

            // failover() returns once all three sentinels report the promoted node. The old master is turned into its
            // replica by Sentinel some 10 s later, which this test does not wait for.
            assertThat(promoted).isNotEqualTo(oldMaster);
            assertThat(group.master()).isEqualTo(promoted);
            assertThat(promoted.command("ROLE")).startsWith("master");
        }
    }

    @Test
    void rejectsAnUnreasonableNumberOfSentinels() {
        assertThatThrownBy(() -> RedisSentinelGroup.start(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sentinelCount");
    }
}
