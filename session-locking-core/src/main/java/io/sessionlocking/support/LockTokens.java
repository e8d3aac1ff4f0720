package io.sessionlocking.support;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random lock owner tokens: 128 bits from {@link SecureRandom}, as 32 hex characters. Unguessable and unique per
 * acquisition, so a stale or foreign holder can never match another's token. Thread-safe: each thread draws from a
 * DRBG of its own (seeded once from the platform's entropy), since the shared default generator serialises every
 * draw on one lock, which every request of a busy node would contend for. Internal helper.
 */
public final class LockTokens {

    private static final int TOKEN_BYTES = 16;

    /** Characters in a token. */
    public static final int LENGTH = 2 * TOKEN_BYTES;

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(LockTokens::newGenerator);
    private static final HexFormat HEX = HexFormat.of();

    private LockTokens() {}

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom(); // DRBG is standard since Java 9; this is a fallback for stripped runtimes
        }
    }

    public static String next() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.get().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
