package io.sessionlocking.spring.redis;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What Redis itself holds for a session, read with plain commands, for assertions. */
final class SessionHashes {

    private SessionHashes() {}

    static String key(String id) {
        return "spring:session:sessions:" + id;
    }

    /** The field names of the session's hash (empty when there is no such key). */
    static List<String> fields(RedisNode redis, String id) {
        String reply = redis.command("HKEYS", key(id));
        return reply == null || reply.isEmpty() ? List.of() : Arrays.asList(reply.split("\n"));
    }

    /** The lock field of the session, or null. */
    static @Nullable String lockField(RedisNode redis, String id) {
        return fields(redis, id).stream()
                .filter(field -> field.startsWith("sessionLock:"))
                .findFirst()
                .orElse(null);
    }

    /** The lock's expiry (epoch ms; 0 for released), or -1 when the session has no lock field. */
    static long lockExpiry(RedisNode redis, String id) {
        String field = lockField(redis, id);
        return field == null ? -1 : Long.parseLong(field.split(":")[1]);
    }

    static long ttlMillis(RedisNode redis, String id) {
        return Long.parseLong(redis.command("PTTL", key(id)));
    }
}
