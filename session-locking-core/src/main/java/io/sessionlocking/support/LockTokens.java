package io.sessionlocking.support;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random lock owner tokens: 128 bits from {@link SecureRandom}, as 32 hex characters. Unguessable and unique per
 * acquisition, so a stale or foreign holder can never match another's token. Thread-safe. Internal helper.
 */
public final class LockTokens {

    private static final int TOKEN_BYTES = 16;

    /** Characters in a token. */
    public static final int LENGTH = 2 * TOKEN_BYTES;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private LockTokens() {}

    public static String next() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
