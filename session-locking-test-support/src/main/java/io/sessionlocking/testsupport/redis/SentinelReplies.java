package io.sessionlocking.testsupport.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads the replies of Sentinel commands as the fixture's {@link Resp} client flattens them. */
final class SentinelReplies {

    private SentinelReplies() {}

    /** {@code SENTINEL MASTER name}: a flat array of field names and values, joined by {@code '\n'}. */
    static Map<String, String> fields(String reply) {
        String[] parts = reply.split("\n", -1);
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            fields.put(parts[i], parts[i + 1]);
        }
        return fields;
    }

    /** {@code SENTINEL GET-MASTER-ADDR-BY-NAME name}: host and port, or nil before the master is known. */
    static Optional<Integer> masterPort(@Nullable String reply) {
        if (reply == null || !reply.contains("\n")) {
            return Optional.empty();
        }
        return Optional.of(
                Integer.parseInt(reply.substring(reply.indexOf('\n') + 1).trim()));
    }
}
