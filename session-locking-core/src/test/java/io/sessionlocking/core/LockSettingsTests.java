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
        assertInvalid(b -> b.retryDelay(Duration.ZERO), "retryDelay", "PT0S");
        assertInvalid(b -> b.retryDelay(Duration.ofMillis(-5)), "retryDelay", "PT-0.005S");
        assertInvalid(b -> b.maxRequestTime(Duration.ZERO), "maxRequestTime", "[PT0.001S, PT24H]");
        assertInvalid(b -> b.timeout(Duration.ofMillis(-1)), "timeout", "PT-0.001S");
        assertInvalid(b -> b.lockTtl(Duration.ZERO), "lockTtl", "[PT0.001S, PT24H]");
        assertInvalid(b -> b.commandTimeout(Duration.ZERO), "commandTimeout", "[PT0.001S, PT1M]");
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
    void rejectsTtlShorterThanTheRetryDelay() {
        assertInvalid(
                b -> b.lockTtl(Duration.ofMillis(5)).retryDelay(Duration.ofMillis(10)),
                "retryDelay",
                "[PT0.001S, PT0.005S]");
    }

    @Test
    void rejectsTimeoutLongerThanTheMaxRequestTime() {
        assertInvalid(
                b -> b.maxRequestTime(Duration.ofSeconds(10)).timeout(Duration.ofSeconds(11)),
                "timeout",
                "[PT0.001S, PT10S]");
    }

    @Test
    void rejectsMaxRetryDelayBelowTheRetryDelay() {
        assertInvalid(b -> b.maxRetryDelay(Duration.ofMillis(5)), "maxRetryDelay", "[PT0.01S, PT24H]");
    }

    @Test
    void rejectsWaiterLimitsOutOfRange() {
        assertInvalid(b -> b.maxWaitersPerSession(0), "maxWaitersPerSession", "[1, 100000]");
        assertInvalid(b -> b.maxWaitersPerSession(100_001), "maxWaitersPerSession", "[1, 100000]");
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

    private static void assertInvalid(UnaryOperator<LockSettings.Builder> change, String setting, String inMessage) {
        assertThatThrownBy(() -> change.apply(LockSettings.builder()).build())
                .isInstanceOfSatisfying(InvalidLockSettingsException.class, e -> {
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.getMessage()).contains("'" + setting + "'", inMessage, "allowed range");
                });
    }
}
