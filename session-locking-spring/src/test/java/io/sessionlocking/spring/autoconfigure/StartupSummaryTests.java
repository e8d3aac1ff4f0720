package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.session.MapSessionRepository;

/** The one start-up line that says which handler, backend, repository and timings are in effect. */
@ExtendWith(OutputCaptureExtension.class)
class StartupSummaryTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SessionLockingAutoConfiguration.class, SessionLockingDiagnosticsAutoConfiguration.class))
            .withBean(MapSessionRepository.class, () -> new MapSessionRepository(new ConcurrentHashMap<>()))
            .withPropertyValues("session-locking.backend=memory");

    @Test
    void oneLineWithTheDefaultsAsDerived(CapturedOutput output) {
        runner.run(context -> assertThat(context).hasNotFailed());

        assertThat(output.getOut().lines().filter(line -> line.contains("Session locking: ")))
                .singleElement()
                .asString()
                .endsWith(
                        "Session locking: handler=locking, backend=memory, repository=MapSessionRepository (decorated), "
                                + "timeout=24s (0.8 x max-request-time=30s), lock-ttl=30s (renewed every 10s), "
                                + "retry-delay=10ms (fixed), max-waiters-per-session=16, max-waiters-per-node=100, command-timeout=2s, "
                                + "on-timeout=fail (503)");
    }

    @Test
    void explicitSettingsAreShownAsConfigured(CapturedOutput output) {
        runner.withPropertyValues(
                        "session-locking.timeout=5s",
                        "session-locking.lock-ttl=5s",
                        "session-locking.backoff=exponential",
                        "session-locking.retry-delay=5ms",
                        "session-locking.max-retry-delay=100ms",
                        "session-locking.on-timeout=read-only")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(output.getOut())
                .contains(
                        "timeout=5s, lock-ttl=5s (renewed every 1666ms), retry-delay=5ms (exponential up to "
                                + "100ms), max-waiters-per-session=16, max-waiters-per-node=100, command-timeout=2s, on-timeout=read-only");
    }

    @Test
    void theNonLockingHandlerSaysSo(CapturedOutput output) {
        runner.withPropertyValues("session-locking.handler=non-locking")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(output.getOut())
                .contains("Session locking: handler=non-locking (the plain repository, no locks), "
                        + "repository=MapSessionRepository");
    }

    @Test
    void durationsAreWrittenAsThePropertiesTakeThem() {
        assertThat(StartupSummary.print(Duration.ofMillis(10))).isEqualTo("10ms");
        assertThat(StartupSummary.print(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(StartupSummary.print(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(StartupSummary.print(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(StartupSummary.print(Duration.ofNanos(12_500_000))).isEqualTo("12500us");
    }
}
