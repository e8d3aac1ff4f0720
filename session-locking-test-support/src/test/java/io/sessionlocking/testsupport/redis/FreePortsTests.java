package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTests {

    @Test
    void reservedPortsAreDistinctUntilReleased() {
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ports.add(FreePorts.reserve(false));
            }
            assertThat(new HashSet<>(ports)).hasSameSizeAs(ports);
            assertThat(ports).doesNotContain(FreePorts.SHARED_REDIS_PORT);
        } finally {
            ports.forEach(port -> FreePorts.release(port, false));
        }
    }

    @Test
    void clusterPortsLeaveRoomForAFreeBusPortThatIsReservedToo() {
        Set<Integer> all = new HashSet<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                int port = FreePorts.reserve(true);
                ports.add(port);
                assertThat(port + FreePorts.CLUSTER_BUS_OFFSET).isLessThanOrEqualTo(65535);
                assertThat(all.add(port)).isTrue();
                assertThat(all.add(port + FreePorts.CLUSTER_BUS_OFFSET)).isTrue();
            }
        } finally {
            ports.forEach(port -> FreePorts.release(port, true));
        }
    }
}
