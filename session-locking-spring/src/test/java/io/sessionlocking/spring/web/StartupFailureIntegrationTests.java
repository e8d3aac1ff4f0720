package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A real application start with a bad property fails with a message that names the property and its range. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @Test
    void invalidPropertyStopsStartupWithAReadableMessage(CapturedOutput output) {
        assertThatThrownBy(() -> WebNode.start(redis.node().port(), Map.of("session-locking.timeout-fraction", "1.5")))
                .isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("'session-locking.timeout-fraction'")
                .contains("1.5")
                .contains("(0, 1]");
    }

    @Test
    void aLockTtlBelowAFewRoundTripsNamesTheLockTtlAndEchoesTheValueAsWritten(CapturedOutput output) {
        assertThatThrownBy(() -> WebNode.start(redis.node().port(), Map.of("session-locking.lock-ttl", "5ms")))
                .isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid value '5ms' for configuration property 'session-locking.lock-ttl'")
                .contains("allowed range is [100ms, 24h], a few round trips at least")
                .doesNotContain("retry-delay'")
                .doesNotContain("PT0");
    }

    @Test
    void aMisspeltPropertyStopsStartupNamingIt(CapturedOutput output) {
        assertThatThrownBy(() -> WebNode.start(redis.node().port(), Map.of("session-locking.retry-dealy", "20ms")))
                .isInstanceOf(Exception.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("session-locking.retry-dealy")
                .contains("were left unbound");
    }
}
