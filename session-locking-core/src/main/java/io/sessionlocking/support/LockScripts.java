package io.sessionlocking.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis backends, shared by Lettuce and Redisson so that both guard a key identically. Each is
 * a constant (never built at run time) with its SHA-1, for {@code EVALSHA}. Internal helper.
 *
 * <p>Redis runs a script atomically and freezes key expiry while it runs, so the compare and the write see the same
 * key state.
 */
public final class LockScripts {

    /** Compare-and-delete: deletes KEYS[1] only if it holds the token ARGV[1]; returns 1 when deleted, else 0. */
    public static final String RELEASE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then " + "return redis.call('del', KEYS[1]) else return 0 end";

    /**
     * Compare-and-extend: sets the TTL of KEYS[1] to ARGV[2] milliseconds only if it holds the token ARGV[1]; returns
     * 1 when extended, else 0.
     */
    public static final String EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    /** Reads KEYS[1] and its remaining TTL in milliseconds together: {value or false, pttl}. */
    public static final String DESCRIBE = "return {redis.call('get', KEYS[1]), redis.call('pttl', KEYS[1])}";

    public static final String RELEASE_SHA = sha1(RELEASE);
    public static final String DESCRIBE_SHA = sha1(DESCRIBE);
    public static final String EXTEND_SHA = sha1(EXTEND);

    private LockScripts() {}

    /** Lower-case hex SHA-1 of a script, as Redis computes it for {@code EVALSHA}. */
    public static String sha1(String script) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    /** Whether a Redis error says the script cache lacks the script (after a restart or {@code SCRIPT FLUSH}). */
    public static boolean isNoScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }
}
