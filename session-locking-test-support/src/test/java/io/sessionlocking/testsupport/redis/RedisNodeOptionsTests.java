package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisNodeOptionsTests {

    @Test
    void detectsClusterModeAndAppendsArguments() {
        assertThat(RedisNodeOptions.defaults().clusterEnabled()).isFalse();
        assertThat(RedisNodeOptions.defaults()
                        .withArgs("--cluster-enabled", "yes")
                        .clusterEnabled())
                .isTrue();
        assertThat(RedisNodeOptions.defaults()
                        .withArgs("--cluster-enabled", "no")
                        .clusterEnabled())
                .isFalse();
        assertThat(RedisNodeOptions.defaults()
                        .withArgs("--a", "1")
                        .withArgs("--b", "2")
                        .args())
                .containsExactly("--a", "1", "--b", "2");
    }
}
