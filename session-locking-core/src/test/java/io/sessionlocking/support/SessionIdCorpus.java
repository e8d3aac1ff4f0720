package io.sessionlocking.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A corpus of session ids as cookies deliver them, from a seeded {@link Random}: mostly malformed (control characters,
 * CR LF, NUL, braces, spaces, non-ASCII, empty, up to 12,000 characters, decoded Base64 garbage), some well-formed
 * but unknown (UUIDs, printable ASCII with {@code *} and {@code :}). The same seed gives the same corpus; the seed is
 * {@code -Dsession-ids.seed=...} or a fixed default, and tests print it so that a failure can be replayed.
 */
public final class SessionIdCorpus {

    /** The default seed: a run is reproducible unless a seed is given. */
    public static final long DEFAULT_SEED = 0x5E55_1D5L;

    private static final String SPECIALS = "{}*:\r\n\u0000 \t;=,\"\\/?#[]%";

    private SessionIdCorpus() {}

    public static long seed() {
        return Long.getLong("session-ids.seed", DEFAULT_SEED);
    }

    /** {@code count} ids from {@code seed}. */
    public static List<String> generate(long seed, int count) {
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(next(random));
        }
        return ids;
    }

    private static String next(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> anyChars(random, random.nextInt(300));
            case 1 -> printable(random, 1 + random.nextInt(300));
            case 2 -> withSpecials(random, printable(random, 1 + random.nextInt(64)));
            case 3 -> withSpecials(random, new UUID(random.nextLong(), random.nextLong()).toString());
            case 4 -> new UUID(random.nextLong(), random.nextLong()).toString();
            case 5 -> decodedGarbage(random);
            case 6 -> printable(random, 257 + random.nextInt(12_000));
            default -> random.nextBoolean() ? "" : SPECIALS.charAt(random.nextInt(SPECIALS.length())) + "";
        };
    }

    private static String anyChars(Random random, int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append((char) random.nextInt(Character.MAX_VALUE + 1));
        }
        return id.toString();
    }

    private static String printable(Random random, int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append((char) (0x20 + random.nextInt(0x7f - 0x20)));
        }
        return id.toString();
    }

    private static String withSpecials(Random random, String id) {
        StringBuilder mutated = new StringBuilder(id);
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            char special = SPECIALS.charAt(random.nextInt(SPECIALS.length()));
            mutated.insert(random.nextInt(mutated.length() + 1), special);
        }
        return mutated.toString();
    }

    /** What Spring Session's cookie serializer makes of random bytes sent as Base64: the platform's decoding. */
    private static String decodedGarbage(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        String cookie = Base64.getEncoder().encodeToString(bytes);
        return new String(Base64.getDecoder().decode(cookie), StandardCharsets.UTF_8);
    }
}
