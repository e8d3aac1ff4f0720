package io.sessionlocking.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.SessionLockListener.Acquired;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionLockStatisticsTests {

    private final SessionLockStatistics statistics = new SessionLockStatistics();

    @Test
    void aWaiterHandedTheLockAfterOneAttemptCountsAsContended() {
        statistics.onAcquired(new Acquired("ab12****", Duration.ofMillis(40), 1));

        assertThat(statistics.mostContended())
                .singleElement()
                .satisfies(c -> assertThat(c.session()).isEqualTo("ab12****"));
    }

    @Test
    void anUncontendedAcquisitionDoesNot() {
        statistics.onAcquired(new Acquired("ab12****", Duration.ofNanos(300_000), 1));

        assertThat(statistics.mostContended()).isEmpty();
    }

    @Test
    void severalAttemptsCountWhateverTheWait() {
        statistics.onAcquired(new Acquired("cd34****", Duration.ofNanos(300_000), 2));

        assertThat(statistics.mostContended()).hasSize(1);
    }
}
