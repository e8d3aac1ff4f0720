package io.sessionlocking.core;

/**
 * A lock setting is out of its allowed range. The message names the setting, the rejected value and the range, so
 * that a start-up failure explains itself; the parts are also available one by one for failure analyzers.
 */
public final class InvalidLockSettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String value;
    private final String allowedRange;

    public InvalidLockSettingsException(String setting, String value, String allowedRange) {
        super("Invalid session lock setting '" + setting + "': " + value + " is outside the allowed range "
                + allowedRange);
        this.setting = setting;
        this.value = value;
        this.allowedRange = allowedRange;
    }

    /** The setting's name as in {@link LockSettings.Builder}, e.g. {@code retryDelay}. */
    public String setting() {
        return setting;
    }

    public String value() {
        return value;
    }

    public String allowedRange() {
        return allowedRange;
    }
}
