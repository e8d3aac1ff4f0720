package io.sessionlocking.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegenerationSettingsTests {

    @Test
    void defaultsServeNothingStaleAndWaitBoundedly() {
        RegenerationSettings settings = RegenerationSettings.defaults();

        assertThat(settings.staleWhileRevalidate()).isZero();
        assertThat(settings.staleIfError()).isZero();
        assertThat(settings.lockTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.waitTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.earlyRefresh()).isFalse();
        assertThat(settings.earlyRefreshBeta()).isEqualTo(1.0);
        assertThat(settings.onBackendFailure()).isEqualTo(RegenerationSettings.OnBackendFailure.LOAD);
        assertThat(settings.toBuilder().build()).hasToString(settings.toString());
    }

    @Test
    void outOfRangeValuesNameTheSettingAndTheRange() {
        assertThatThrownBy(() ->
                        RegenerationSettings.builder().lockTtl(Duration.ZERO).build())
                .isInstanceOfSatisfying(InvalidRegenerationSettingsException.class, e -> {
                    assertThat(e.setting()).isEqualTo("lockTtl");
                    assertThat(e.getMessage()).contains("lockTtl", "PT0S", "[PT0.001S, PT24H]");
                });
        assertThatThrownBy(() -> RegenerationSettings.builder()
                        .lockTtl(Duration.ofMinutes(2))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidRegenerationSettingsException.class,
                        e -> assertThat(e.setting()).isEqualTo("maxLoadTime"));
        assertThatThrownBy(() -> RegenerationSettings.builder()
                        .pollInterval(Duration.ofSeconds(11))
                        .build())
                .isInstanceOfSatisfying(
                        InvalidRegenerationSettingsException.class,
                        e -> assertThat(e.setting()).isEqualTo("pollInterval"));
        assertThatThrownBy(
                        () -> RegenerationSettings.builder().earlyRefreshBeta(0).build())
                .isInstanceOfSatisfying(
                        InvalidRegenerationSettingsException.class,
                        e -> assertThat(e.setting()).isEqualTo("earlyRefreshBeta"));
        assertThatThrownBy(() -> RegenerationSettings.builder()
                        .staleWhileRevalidate(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOf(InvalidRegenerationSettingsException.class);
    }
}
