package io.sessionlocking.support;

/**
 * Checks and masks session ids. Internal helper, public for this project's other modules only.
 *
 * <p>The check is cheap (one pass, no regex) and runs before any backend call, so a garbage cookie costs nothing in
 * Redis. Braces are refused because the id becomes a Redis Cluster hash tag.
 */
public final class SessionIds {

    /** Longest id accepted; Spring Session's ids are 36-character UUIDs. */
    public static final int MAX_LENGTH = 256;

    private static final int VISIBLE_PREFIX = 4;

    private SessionIds() {}

    /** Whether {@code id} is 1 to 256 printable ASCII characters other than space, '{' and '}'. */
    public static boolean isValid(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '{' || c == '}') {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code id} when {@link #isValid valid}.
     *
     * @throws IllegalArgumentException naming the masked id, when not valid
     */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("Malformed session id " + mask(id) + ": expected 1 to " + MAX_LENGTH
                    + " printable ASCII characters without spaces or braces");
        }
        return id;
    }

    /**
     * The id with all but its first four characters hidden, e.g. {@code 3f2a****}: enough to correlate log lines,
     * too little to take over the session. Ids of eight characters or fewer are hidden completely.
     */
    public static String mask(String id) {
        if (id.length() <= 2 * VISIBLE_PREFIX) {
            return "****";
        }
        StringBuilder masked = new StringBuilder(VISIBLE_PREFIX + 4);
        for (int i = 0; i < VISIBLE_PREFIX; i++) {
            char c = id.charAt(i);
            // A malformed id may carry control characters; never echo them into a log line.
            masked.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return masked.append("****").toString();
    }
}
