package io.sessionlocking.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.sessionlocking.cache.InvalidRegenerationSettingsException;
import io.sessionlocking.cache.RegenerationSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheRegenerationPropertiesTests {

    @Test
    void defaultsAreTheCoreDefaults() {
        CacheRegenerationProperties properties = new CacheRegenerationProperties();

        assertThat(properties.getStaleWhileRevalidate()).isEqualTo(RegenerationSettings.DEFAULT_STALE_WHILE_REVALIDATE);
        assertThat(properties.getStaleIfError()).isEqualTo(RegenerationSettings.DEFAULT_STALE_IF_ERROR);
        assertThat(properties.getLockTtl()).isEqualTo(RegenerationSettings.DEFAULT_LOCK_TTL);
        assertThat(properties.getMaxLoadTime()).isEqualTo(RegenerationSettings.DEFAULT_MAX_LOAD_TIME);
        assertThat(properties.getWaitTimeout()).isEqualTo(RegenerationSettings.DEFAULT_WAIT_TIMEOUT);
        assertThat(properties.getPollInterval()).isEqualTo(RegenerationSettings.DEFAULT_POLL_INTERVAL);
        assertThat(properties.getCommandTimeout()).isEqualTo(RegenerationSettings.DEFAULT_COMMAND_TIMEOUT);
        assertThat(properties.isEarlyRefresh()).isEqualTo(RegenerationSettings.DEFAULT_EARLY_REFRESH);
        assertThat(properties.getEarlyRefreshBeta()).isEqualTo(RegenerationSettings.DEFAULT_EARLY_REFRESH_BETA);
        assertThat(properties.isBackgroundRefresh()).isEqualTo(RegenerationSettings.DEFAULT_BACKGROUND_REFRESH);
        assertThat(properties.getOnBackendFailure()).isEqualTo(RegenerationSettings.DEFAULT_ON_BACKEND_FAILURE);
        assertThat(properties.toSettings())
                .hasToString(RegenerationSettings.defaults().toString());
    }

    @Test
    void offByDefaultAndEveryCacheOnceOn() {
        CacheRegenerationProperties properties = new CacheRegenerationProperties();

        assertThat(properties.isEnabled()).isFalse();
        assertThat(properties.guards("anything")).isTrue();
        properties.setCacheNames(List.of("reports"));
        assertThat(properties.guards("reports")).isTrue();
        assertThat(properties.guards("prices")).isFalse();
    }

    @Test
    void anOutOfRangeValueNamesTheSetting() {
        CacheRegenerationProperties properties = new CacheRegenerationProperties();
        properties.setLockTtl(Duration.ZERO);

        assertThatExceptionOfType(InvalidRegenerationSettingsException.class)
                .isThrownBy(properties::toSettings)
                .satisfies(e -> assertThat(e.setting()).isEqualTo("lockTtl"));
    }
}
