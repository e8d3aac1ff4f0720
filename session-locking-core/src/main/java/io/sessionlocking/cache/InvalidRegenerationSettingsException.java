package io.sessionlocking.cache;

/**
 * A regeneration setting is out of its allowed range. The message names the setting, the rejected value and the
 * range; the parts are also available one by one for failure analyzers.
 */
public final class InvalidRegenerationSettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String value;
    private final String allowedRange;

    public InvalidRegenerationSettingsException(String setting, String value, String allowedRange) {
        super("Invalid cache regeneration setting '" + setting + "': " + value + " is outside the allowed range "
                + allowedRange);
        this.setting = setting;
        this.value = value;
        this.allowedRange = allowedRange;
    }

    /** The setting's name as in {@link RegenerationSettings.Builder}, e.g. {@code lockTtl}. */
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
