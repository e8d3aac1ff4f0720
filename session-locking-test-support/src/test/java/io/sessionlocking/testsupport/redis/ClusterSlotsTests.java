package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterSlotsTests {

    /** Expected values are redis-server 7.0's CLUSTER KEYSLOT answers. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "foo|12182",
                "a|15495",
                "b|3300",
                "key1|9189",
                "{user1000}.following|3443",
                "{user1000}.followers|3443",
                "foo{}{bar}|8363",
                "foo{{bar}}zap|4015",
                "{}foo|9500",
                "é|10180"
            })
    void matchesClusterKeyslot(String key, int slot) {
        assertThat(ClusterSlots.slot(key)).isEqualTo(slot);
    }
}
