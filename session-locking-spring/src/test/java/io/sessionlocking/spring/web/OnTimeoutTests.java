package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OnTimeoutTests {

    @Test
    void aWaiterOverACapOrAbandonedFailsWhateverIsConfigured() {
        for (OnTimeout configured : OnTimeout.values()) {
            for (Reason reason : new Reason[] {Reason.TOO_MANY_WAITERS, Reason.NODE_SATURATED, Reason.ABANDONED}) {
                assertThat(configured.forFailure(failure(reason))).isEqualTo(OnTimeout.FAIL);
            }
        }
    }

    @Test
    void otherFailuresDoWhatIsConfigured() {
        for (OnTimeout configured : OnTimeout.values()) {
            for (Reason reason : new Reason[] {Reason.TIMEOUT, Reason.BACKEND_UNAVAILABLE, Reason.INTERRUPTED}) {
                assertThat(configured.forFailure(failure(reason))).isEqualTo(configured);
            }
        }
    }

    private static LockCouldNotBeAcquiredException failure(Reason reason) {
        return new LockCouldNotBeAcquiredException(reason, Duration.ZERO, 0, "sess****", null);
    }
}
