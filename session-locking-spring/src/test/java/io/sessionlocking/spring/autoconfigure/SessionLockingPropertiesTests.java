package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.redis.ReconnectDelays;
import io.sessionlocking.spring.web.OnTimeout;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

class SessionLockingPropertiesTests {

    @Test
    void lockDefaultsAreTheCoreDefaults() {
        SessionLockingProperties properties = new SessionLockingProperties();

        assertThat(properties.getRetryDelay()).isEqualTo(LockSettings.DEFAULT_RETRY_DELAY);
        assertThat(properties.getBackoff()).isEqualTo(LockSettings.DEFAULT_BACKOFF);
        assertThat(properties.getMaxRetryDelay()).isEqualTo(LockSettings.DEFAULT_MAX_RETRY_DELAY);
        assertThat(properties.getMaxRequestTime()).isEqualTo(LockSettings.DEFAULT_MAX_REQUEST_TIME);
        assertThat(properties.getTimeoutFraction()).isEqualTo(LockSettings.DEFAULT_TIMEOUT_FRACTION);
        assertThat(properties.getTimeout()).isNull();
        assertThat(properties.getLockTtl()).isNull();
        assertThat(properties.getMaxWaitersPerSession()).isEqualTo(LockSettings.DEFAULT_MAX_WAITERS_PER_SESSION);
        assertThat(properties.getCommandTimeout()).isEqualTo(LockSettings.DEFAULT_COMMAND_TIMEOUT);
        assertThat(properties.getKeyNamespace()).isEqualTo(LockSettings.DEFAULT_KEY_NAMESPACE);
        assertThat(properties.getLettuce().getMaxReconnectDelay()).isEqualTo(ReconnectDelays.DEFAULT_MAX);
    }

    @Test
    void defaultPropertiesMakeTheDefaultSettings() {
        LockSettings fromProperties = new SessionLockingProperties().toLockSettings();
        LockSettings defaults = LockSettings.defaults();

        assertThat(fromProperties.retryDelay()).isEqualTo(defaults.retryDelay());
        assertThat(fromProperties.backoff()).isEqualTo(defaults.backoff());
        assertThat(fromProperties.maxRetryDelay()).isEqualTo(defaults.maxRetryDelay());
        assertThat(fromProperties.maxRequestTime()).isEqualTo(defaults.maxRequestTime());
        assertThat(fromProperties.timeoutFraction()).isEqualTo(defaults.timeoutFraction());
        assertThat(fromProperties.timeout()).isEqualTo(defaults.timeout());
        assertThat(fromProperties.isTimeoutExplicit())
                .isEqualTo(defaults.isTimeoutExplicit())
                .isFalse();
        assertThat(fromProperties.lockTtl()).isEqualTo(defaults.lockTtl());
        assertThat(fromProperties.keyNamespace()).isEqualTo(defaults.keyNamespace());
        assertThat(fromProperties.maxWaitersPerSession()).isEqualTo(defaults.maxWaitersPerSession());
        assertThat(fromProperties.commandTimeout()).isEqualTo(defaults.commandTimeout());
        assertThat(fromProperties).hasToString(defaults.toString());
    }

    @Test
    void springOnlyDefaults() {
        SessionLockingProperties properties = new SessionLockingProperties();

        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.getHandler()).isEqualTo(SessionLockingProperties.Handler.LOCKING);
        assertThat(properties.getBackend()).isNull();
        assertThat(properties.isRenew()).isTrue();
        assertThat(properties.getOnTimeout()).isEqualTo(OnTimeout.FAIL);
        assertThat(properties.getFailureStatus()).isEqualTo(503);
        assertThat(properties.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void readOnlyDefaults() {
        SessionLockingProperties.ReadOnly readOnly = new SessionLockingProperties().getReadOnly();

        assertThat(readOnly.getMethods()).containsExactly("HEAD", "OPTIONS", "TRACE");
        assertThat(readOnly.getPaths()).isEmpty();
        assertThat(readOnly.isActuator()).isTrue();
        assertThat(readOnly.getLockedPaths()).isEmpty();
        assertThat(SessionLockingProperties.DEFAULT_BOT_USER_AGENTS)
                .hasSize(25)
                .doesNotHaveDuplicates()
                .contains("Googlebot", "bingbot", "bot/");
        assertThat(readOnly.getBotUserAgents()).isEqualTo(SessionLockingProperties.DEFAULT_BOT_USER_AGENTS);
    }

    @Test
    void readOnlyDefaultsAreMutableCopies() {
        SessionLockingProperties first = new SessionLockingProperties();
        first.getReadOnly().getMethods().add("GET");
        first.getReadOnly().getBotUserAgents().clear();
        first.getReadOnly().getPaths().add("/static/**");

        SessionLockingProperties.ReadOnly second = new SessionLockingProperties().getReadOnly();
        assertThat(second.getMethods()).containsExactly("HEAD", "OPTIONS", "TRACE");
        assertThat(second.getBotUserAgents()).hasSize(25);
        assertThat(second.getPaths()).isEmpty();
    }

    @Test
    void theNodesWaiterCapDefaultsToHalfTheServersWorkerThreads() {
        SessionLockingProperties properties = new SessionLockingProperties();
        assertThat(properties.getMaxWaitersPerNode()).isNull();
        assertThat(properties.toLockSettings(200).maxWaitersPerNode()).isEqualTo(100);
        assertThat(properties.toLockSettings(1).maxWaitersPerNode()).isEqualTo(1);
        assertThat(properties.toLockSettings(null).maxWaitersPerNode())
                .as("no server: the core's default")
                .isEqualTo(LockSettings.DEFAULT_MAX_WAITERS_PER_NODE);
        properties.setMaxWaitersPerNode(30);
        assertThat(properties.toLockSettings(200).maxWaitersPerNode())
                .as("set explicitly")
                .isEqualTo(30);
    }

    @Test
    void propertiesMapOntoTheSettings() {
        SessionLockingProperties properties = new SessionLockingProperties();
        properties.setRetryDelay(Duration.ofMillis(5));
        properties.setBackoff(LockSettings.Backoff.EXPONENTIAL);
        properties.setMaxRetryDelay(Duration.ofMillis(50));
        properties.setMaxRequestTime(Duration.ofSeconds(10));
        properties.setTimeout(Duration.ofSeconds(3));
        properties.setLockTtl(Duration.ofSeconds(6));
        properties.setMaxWaitersPerSession(7);
        properties.setCommandTimeout(Duration.ofMillis(500));
        properties.setKeyNamespace("app:sessions");

        LockSettings settings = properties.toLockSettings();

        assertThat(settings.retryDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(settings.backoff()).isEqualTo(LockSettings.Backoff.EXPONENTIAL);
        assertThat(settings.maxRetryDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.maxRequestTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.isTimeoutExplicit()).isTrue();
        assertThat(settings.lockTtl()).isEqualTo(Duration.ofSeconds(6));
        assertThat(settings.maxWaitersPerSession()).isEqualTo(7);
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.keyNamespace()).isEqualTo("app:sessions");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 399, 600, -1})
    void invalidFailureStatusIsRejected(int status) {
        SessionLockingProperties properties = new SessionLockingProperties();
        properties.setFailureStatus(status);

        assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
                .isThrownBy(properties::toLockSettings)
                .satisfies(e -> {
                    assertThat(e.getName()).isEqualTo("session-locking.failure-status");
                    assertThat(e.getValue()).isEqualTo(String.valueOf(status));
                    assertThat(e.getReason()).isEqualTo("allowed range is [400, 599]");
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 429, 503, 599})
    void validFailureStatusIsAccepted(int status) {
        SessionLockingProperties properties = new SessionLockingProperties();
        properties.setFailureStatus(status);

        assertThat(properties.toLockSettings()).isNotNull();
    }

    @Test
    void negativeRetryAfterIsRejected() {
        SessionLockingProperties properties = new SessionLockingProperties();
        properties.setRetryAfter(Duration.ofSeconds(-1));

        assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
                .isThrownBy(properties::toLockSettings)
                .satisfies(e -> assertThat(e.getName()).isEqualTo("session-locking.retry-after"));
    }

    @Test
    void aLockTtlBelowAFewRoundTripsNamesTheLockTtl() {
        SessionLockingProperties properties = new SessionLockingProperties();
        properties.setLockTtl(Duration.ofMillis(5));

        assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
                .isThrownBy(properties::toLockSettings)
                .satisfies(e -> {
                    assertThat(e.getName()).isEqualTo("session-locking.lock-ttl");
                    assertThat(e.getValue()).isEqualTo("5ms");
                    assertThat(e.getReason()).isEqualTo("allowed range is [100ms, 24h], a few round trips at least");
                });
    }

    @Test
    void withRenewalOnATtlShorterThanOneAndAHalfCommandTimeoutsIsRefusedAndWithRenewalOffAccepted() {
        SessionLockingProperties properties = new SessionLockingProperties();
        properties.setLockTtl(Duration.ofMillis(600));
        properties.setCommandTimeout(Duration.ofMillis(500));

        assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
                .isThrownBy(properties::toLockSettings)
                .satisfies(e -> {
                    assertThat(e.getName()).isEqualTo("session-locking.lock-ttl");
                    assertThat(e.getReason())
                            .isEqualTo("allowed range is [750ms, 24h], at least 1.5 x the command timeout: renewal "
                                    + "extends the lock every third of its TTL and an extension may take the command "
                                    + "timeout");
                });

        properties.setRenew(false);
        assertThat(properties.toLockSettings().lockTtl()).isEqualTo(Duration.ofMillis(600));
        properties.setRenew(true);
        properties.setCommandTimeout(Duration.ofMillis(400));
        assertThat(properties.toLockSettings().lockTtl()).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void settingsMapOntoTheirProperties() {
        assertThat(SessionLockingProperties.propertyName("retryDelay")).isEqualTo("session-locking.retry-delay");
        assertThat(SessionLockingProperties.propertyName("maxWaitersPerSession"))
                .isEqualTo("session-locking.max-waiters-per-session");
        assertThat(SessionLockingProperties.propertyName("timeout")).isEqualTo("session-locking.timeout");
    }
}
