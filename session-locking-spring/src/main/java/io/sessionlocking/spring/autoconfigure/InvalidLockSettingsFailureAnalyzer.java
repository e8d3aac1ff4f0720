package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.InvalidLockSettingsException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains invalid lock settings that an application built itself (a {@code LockSettings} bean of its own): the
 * setting, its value and the allowed range. Invalid {@code session-locking.*} properties never get here: {@link
 * SessionLockingProperties#toLockSettings()} reports them as Spring Boot's {@code
 * InvalidConfigurationPropertyValueException}, whose analysis shows the value as written and where it was set.
 */
final class InvalidLockSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLockSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidLockSettingsException cause) {
        return new FailureAnalysis(
                "Invalid session lock setting '" + cause.setting() + "': " + cause.value()
                        + " is outside the allowed range " + cause.allowedRange() + ".",
                "Fix the LockSettings your application builds, or remove that bean and configure the lock with the "
                        + "property '" + SessionLockingProperties.propertyName(cause.setting()) + "'.",
                cause);
    }
}
