package io.sessionlocking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class LockSettingsTests {

    @Test
    void defaultsFollowSpryker() {
        LockSettings settings = LockSettings.defaults();
        assertThat(settings.retryDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(settings.maxRequestTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.timeoutFraction()).isEqualTo(0.8);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(24));
        assertThat(settings.isTimeoutExplicit()).isFalse();
        assertThat(settings.lockTtl()).isEqualTo(settings.maxRequestTime());
        assertThat(settings.keyNamespace()).isEqualTo("spring:session");
        assertThat(settings.backoff()).isEqualTo(LockSettings.Backoff.FIXED);
    }

    @Test
    void timeoutIsDerivedFromTheFractionUnlessExplicit() {
        LockSettings derived = LockSettings.builder()
                .maxRequestTime(Duration.ofSeconds(10))
                .timeoutFraction(0.5)
                .build();
        assertThat(derived.timeout()).isEqualTo(Duration.ofSeconds(5));
        LockSettings explicit =
                derived.toBuilder().timeout(Duration.ofSeconds(2)).build();
        assertThat(explicit.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(explicit.isTimeoutExplicit()).isTrue();
        assertThat(derived.toBuilder().build().isTimeoutExplicit()).isFalse();
    }

    @Test
    void lockTtlDefaultsToMaxRequestTime() {
        LockSettings settings =
                LockSettings.builder().maxRequestTime(Duration.ofSeconds(12)).build();
        assertThat(settings.lockTtl()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void rejectsNonPositiveDurations() {
        assertInvalid(b -> b.retryDelay(Duration.ZERO), "retryDelay", "0ms is outside the allowed range [1ms, 24h]");
        assertInvalid(b -> b.retryDelay(Duration.ofMillis(-5)), "retryDelay", "-5ms");
        assertInvalid(b -> b.maxRequestTime(Duration.ZERO), "maxRequestTime", "[1ms, 24h]");
        assertInvalid(b -> b.timeout(Duration.ofMillis(-1)), "timeout", "-1ms");
        assertInvalid(b -> b.lockTtl(Duration.ZERO), "lockTtl", "[100ms, 24h]");
        assertInvalid(b -> b.commandTimeout(Duration.ZERO), "commandTimeout", "[1ms, 1m]");
        assertInvalid(b -> b.retryDelay(null), "retryDelay", "null");
    }

    @Test
    void rejectsFractionOutsideZeroToOne() {
        assertInvalid(b -> b.timeoutFraction(0), "timeoutFraction", "(0, 1]");
        assertInvalid(b -> b.timeoutFraction(1.01), "timeoutFraction", "(0, 1]");
        assertInvalid(b -> b.timeoutFraction(Double.NaN), "timeoutFraction", "(0, 1]");
        assertThat(LockSettings.builder().timeoutFraction(1).build().timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aTtlOfLessThanAFewRoundTripsIsRefused() {
        assertInvalid(
                b -> b.lockTtl(Duration.ofMillis(99)),
                "lockTtl",
                "99ms is outside the allowed range [100ms, 24h], a few round trips at least");
        assertThat(LockSettings.builder()
                        .lockTtl(Duration.ofMillis(100))
                        .build()
                        .lockTtl())
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aTtlRenewalCannotKeepWithTheCommandTimeoutNamesTheSettingChosen() {
        assertNotRenewable(
                b -> b.lockTtl(Duration.ofMillis(600)),
                "lockTtl",
                "600ms is outside the allowed range [3s, 24h], at least 1.5 x the command timeout: renewal extends");
        assertNotRenewable(
                b -> b.maxRequestTime(Duration.ofMillis(600)).commandTimeout(Duration.ofMillis(500)),
                "commandTimeout",
                "500ms is outside the allowed range [1ms, 400ms], at most 2/3 of the lock TTL");
        assertNotRenewable(
                b -> b.maxRequestTime(Duration.ofSeconds(2)),
                "maxRequestTime",
                "[3s, 24h], the lock TTL defaults to it and must be at least 1.5 x the command timeout");
        LockSettings renewable = LockSettings.builder()
                .lockTtl(Duration.ofMillis(600))
                .commandTimeout(Duration.ofMillis(400))
                .build();
        assertThat(renewable.requireRenewable()).isSameAs(renewable);
        assertThat(LockSettings.defaults().requireRenewable()).isNotNull();
    }

    @Test
    void aChosenRetryDelayLongerThanTheTtlIsTheRetryDelaysFault() {
        assertInvalid(
                b -> b.lockTtl(Duration.ofMillis(150)).retryDelay(Duration.ofMillis(200)),
                "retryDelay",
                "200ms is outside the allowed range [1ms, 150ms], at most the lock TTL");
        assertInvalid(b -> b.retryDelay(Duration.ofSeconds(30)), "retryDelay", "[1ms, 24s], at most the timeout");
    }

    @Test
    void aTimeoutShorterThanTheRetryDelayIsTheTimeoutsFault() {
        assertInvalid(b -> b.timeout(Duration.ofMillis(5)), "timeout", "[10ms, 30s], at least the retry delay");
    }

    @Test
    void aMaxRequestTimeTooShortForTheRetryDelayIsItsFaultWhenTtlAndTimeoutDeriveFromIt() {
        assertInvalid(
                b -> b.maxRequestTime(Duration.ofMillis(5)).lockTtl(Duration.ofSeconds(1)),
                "maxRequestTime",
                "5ms is outside the allowed range [12500us, 24h], the timeout");
        assertInvalid(
                b -> b.maxRequestTime(Duration.ofMillis(5)).timeoutFraction(1.0),
                "maxRequestTime",
                "[100ms, 24h], the lock TTL defaults to it and must be a few round trips at least");
    }

    @Test
    void rejectsTimeoutLongerThanTheMaxRequestTime() {
        assertInvalid(
                b -> b.maxRequestTime(Duration.ofSeconds(10)).timeout(Duration.ofSeconds(11)),
                "timeout",
                "[1ms, 10s], at most the max request time");
    }

    @Test
    void rejectsMaxRetryDelayBelowTheRetryDelayWithExponentialBackoff() {
        assertInvalid(
                b -> b.backoff(LockSettings.Backoff.EXPONENTIAL).maxRetryDelay(Duration.ofMillis(5)),
                "maxRetryDelay",
                "[10ms, 24h], at least the retry delay");
        assertInvalid(
                b -> b.backoff(LockSettings.Backoff.EXPONENTIAL).retryDelay(Duration.ofMillis(500)),
                "retryDelay",
                "[1ms, 200ms], at most the max retry delay");
    }

    @Test
    void theFixedBackoffIgnoresTheMaxRetryDelay() {
        LockSettings settings =
                LockSettings.builder().retryDelay(Duration.ofMillis(500)).build();

        assertThat(settings.retryDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(LockSettings.builder()
                        .maxRetryDelay(Duration.ofMillis(5))
                        .build()
                        .maxRetryDelay())
                .isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void durationsAreWrittenAsSpringBootReadsThem() {
        assertThat(SettingChecks.format(Duration.ofMillis(10))).isEqualTo("10ms");
        assertThat(SettingChecks.format(Duration.ofSeconds(24))).isEqualTo("24s");
        assertThat(SettingChecks.format(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(SettingChecks.format(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(SettingChecks.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(SettingChecks.format(Duration.ofNanos(12_500_000))).isEqualTo("12500us");
        assertThat(SettingChecks.format(Duration.ofNanos(7))).isEqualTo("7ns");
        assertThat(SettingChecks.format(Duration.ZERO)).isEqualTo("0ms");
        assertThat(SettingChecks.format(Duration.ofMillis(-5))).isEqualTo("-5ms");
    }

    @Test
    void rejectsWaiterLimitsOutOfRange() {
        assertInvalid(b -> b.maxWaitersPerSession(0), "maxWaitersPerSession", "[1, 100000]");
        assertInvalid(b -> b.maxWaitersPerSession(100_001), "maxWaitersPerSession", "[1, 100000]");
        assertInvalid(b -> b.maxWaitersPerNode(0), "maxWaitersPerNode", "[1, 100000]");
        assertInvalid(b -> b.maxWaitersPerNode(100_001), "maxWaitersPerNode", "[1, 100000]");
    }

    @Test
    void waiterCapsDefaultToSixteenPerSessionAndAHundredPerNodeAndSurviveToBuilder() {
        LockSettings defaults = LockSettings.defaults();
        assertThat(defaults.maxWaitersPerSession()).isEqualTo(16);
        assertThat(defaults.maxWaitersPerNode()).isEqualTo(100);
        LockSettings custom =
                defaults.toBuilder().maxWaitersPerNode(7).build().toBuilder().build();
        assertThat(custom.maxWaitersPerNode()).isEqualTo(7);
        assertThat(custom.toString()).contains("maxWaitersPerSession=16", "maxWaitersPerNode=7");
    }

    @Test
    void rejectsNamespacesThatWouldBreakTheKeyLayout() {
        for (String bad : new String[] {"", "with space", "has{brace", "has}brace", "x".repeat(129)}) {
            assertInvalid(b -> b.keyNamespace(bad), "keyNamespace", "without spaces, '{' or '}'");
        }
        assertInvalid(b -> b.keyNamespace(null), "keyNamespace", "printable ASCII");
    }

    @Test
    void toStringShowsEffectiveValues() {
        assertThat(LockSettings.defaults().toString()).contains("timeout=PT24S (derived)", "lockTtl=PT30S");
    }

    private static void assertNotRenewable(
            UnaryOperator<LockSettings.Builder> change, String setting, String inMessage) {
        LockSettings settings = change.apply(LockSettings.builder()).build();
        assertThatThrownBy(settings::requireRenewable).isInstanceOfSatisfying(InvalidLockSettingsException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.getMessage()).contains("'" + setting + "'", inMessage, "allowed range");
        });
    }

    private static void assertInvalid(UnaryOperator<LockSettings.Builder> change, String setting, String inMessage) {
        assertThatThrownBy(() -> change.apply(LockSettings.builder()).build())
                .isInstanceOfSatisfying(InvalidLockSettingsException.class, e -> {
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.getMessage()).contains("'" + setting + "'", inMessage, "allowed range");
                });
    }
}
