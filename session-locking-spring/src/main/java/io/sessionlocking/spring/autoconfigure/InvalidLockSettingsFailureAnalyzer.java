package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.InvalidLockSettingsException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an invalid {@code session-locking.*} property at start-up: the property, its value and the range. */
final class InvalidLockSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLockSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidLockSettingsException cause) {
        String property = SessionLockingAutoConfiguration.PREFIX + "." + kebabCase(cause.setting());
        return new FailureAnalysis(
                "Invalid value '" + cause.value() + "' for property '" + property + "': allowed range is "
                        + cause.allowedRange() + ".",
                "Update '" + property + "' in your application's configuration to a value in " + cause.allowedRange()
                        + ".",
                cause);
    }

    static String kebabCase(String camelCase) {
        StringBuilder kebab = new StringBuilder(camelCase.length() + 4);
        for (char c : camelCase.toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }
}
