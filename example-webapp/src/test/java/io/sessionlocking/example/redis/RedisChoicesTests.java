package io.sessionlocking.example.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The decision alone, with a fake probe: it never depends on what runs on this machine. */
class RedisChoicesTests {

    private final List<String> probed = new ArrayList<>();

    private RedisProbe probeAnswering(boolean answers) {
        return (host, port) -> {
            probed.add(host + ":" + port);
            return answers;
        };
    }

    @Test
    void configuredHostAndPortWinWithoutAProbe() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.data.redis.host", "redis.internal")
                .withProperty("spring.data.redis.port", "7000");

        RedisChoice choice = RedisChoices.decide(environment, probeAnswering(false));

        assertThat(choice).isEqualTo(new RedisChoice.Configured("redis.internal:7000"));
        assertThat(choice.describe()).isEqualTo("Using Redis at redis.internal:7000 (configured)");
        assertThat(probed).isEmpty();
    }

    @Test
    void aConfiguredPortAloneCounts() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.port", "7001");

        assertThat(RedisChoices.decide(environment, probeAnswering(false)))
                .isEqualTo(new RedisChoice.Configured("localhost:7001"));
        assertThat(probed).isEmpty();
    }

    @Test
    void aConfiguredPasswordAloneMeansTheDefaultAddressNotAnEmbeddedRedis() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.password", "secret");

        RedisChoice choice = RedisChoices.decide(environment, probeAnswering(false));

        assertThat(choice).isEqualTo(new RedisChoice.Configured("localhost:" + RedisChoices.LOCAL_PORT));
        assertThat(choice.describe()).doesNotContain("secret");
        assertThat(probed).isEmpty();
    }

    @Test
    void aConfiguredUrlIsLoggedWithoutItsCredentials() {
        MockEnvironment environment =
                new MockEnvironment().withProperty("spring.data.redis.url", "redis://user:secret@cache.example:7002");

        RedisChoice choice = RedisChoices.decide(environment, probeAnswering(false));

        assertThat(choice).isEqualTo(new RedisChoice.Configured("cache.example:7002"));
        assertThat(choice.describe()).doesNotContain("secret");
    }

    @Test
    void aConfiguredClusterCountsAsCommaListOrIndexedList() {
        MockEnvironment commaList =
                new MockEnvironment().withProperty("spring.data.redis.cluster.nodes", "a:7000,b:7001");
        MockEnvironment indexed = new MockEnvironment()
                .withProperty("spring.data.redis.cluster.nodes[0]", "a:7000")
                .withProperty("spring.data.redis.cluster.nodes[1]", "b:7001");

        assertThat(RedisChoices.decide(commaList, probeAnswering(false)))
                .isEqualTo(new RedisChoice.Configured("cluster a:7000,b:7001"));
        assertThat(RedisChoices.decide(indexed, probeAnswering(false)))
                .isEqualTo(new RedisChoice.Configured("cluster a:7000,b:7001"));
        assertThat(probed).isEmpty();
    }

    @Test
    void aConfiguredSentinelCounts() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "shop")
                .withProperty("spring.data.redis.sentinel.nodes", "s1:7100");

        assertThat(RedisChoices.decide(environment, probeAnswering(false)))
                .isEqualTo(new RedisChoice.Configured("sentinel master shop via s1:7100"));
    }

    @Test
    void nothingConfiguredStartsAnEmbeddedRedisEvenWhenOneAnswersLocally() {
        RedisChoice choice = RedisChoices.decide(new MockEnvironment(), probeAnswering(true));

        assertThat(choice).isEqualTo(new RedisChoice.Embedded());
        assertThat(probed)
                .as("a Redis that merely runs on this machine is never even asked")
                .isEmpty();
    }

    @Test
    void embeddedIsTheExplicitDefault() {
        MockEnvironment environment = new MockEnvironment().withProperty("demo.redis", "embedded");

        assertThat(RedisChoices.decide(environment, probeAnswering(true))).isEqualTo(new RedisChoice.Embedded());
        assertThat(probed).isEmpty();
    }

    @Test
    void localUsesTheRedisOnTheDefaultLocalPort() {
        MockEnvironment environment = new MockEnvironment().withProperty("demo.redis", "local");

        RedisChoice choice = RedisChoices.decide(environment, probeAnswering(true));

        assertThat(choice).isEqualTo(new RedisChoice.Local("localhost", RedisChoices.LOCAL_PORT));
        assertThat(choice.describe()).isEqualTo("Using Redis at localhost:6379 (demo.redis=local)");
        assertThat(probed).containsExactly("localhost:" + RedisChoices.LOCAL_PORT);
    }

    @Test
    void localFailsStartupWhenNothingAnswers() {
        MockEnvironment environment = new MockEnvironment().withProperty("demo.redis", "LOCAL");

        assertThatIllegalStateException()
                .isThrownBy(() -> RedisChoices.decide(environment, probeAnswering(false)))
                .withMessageContaining("demo.redis=local")
                .withMessageContaining("localhost:6379");
    }

    @Test
    void anUnknownModeIsRejectedNamingTheChoices() {
        MockEnvironment environment = new MockEnvironment().withProperty("demo.redis", "mine");

        assertThatIllegalStateException()
                .isThrownBy(() -> RedisChoices.decide(environment, probeAnswering(true)))
                .withMessage("Invalid value 'mine' for property 'demo.redis': use 'embedded' (the default) or 'local'");
    }

    @Test
    void configurationWinsOverLocal() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("demo.redis", "local")
                .withProperty("spring.data.redis.port", "7006");

        assertThat(RedisChoices.decide(environment, probeAnswering(false)))
                .isEqualTo(new RedisChoice.Configured("localhost:7006"));
        assertThat(probed).isEmpty();
    }

    @Test
    void blankPropertiesDoNotCountAsConfiguration() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.data.redis.host", " ")
                .withProperty("spring.data.redis.cluster.nodes", "");

        assertThat(RedisChoices.decide(environment, probeAnswering(false))).isInstanceOf(RedisChoice.Embedded.class);
    }
}
