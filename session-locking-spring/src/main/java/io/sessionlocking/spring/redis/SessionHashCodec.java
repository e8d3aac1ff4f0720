package io.sessionlocking.spring.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.MapSession;
import org.springframework.session.data.redis.RedisSessionMapper;

/**
 * Spring Session's data model for a session hash, shared with the non-indexed {@code RedisSessionRepository}: fields
 * {@code creationTime} (epoch ms, a {@code Long}), {@code lastAccessedTime} (epoch ms, a {@code Long}), {@code
 * maxInactiveInterval} (seconds, an {@code Integer}) and {@code sessionAttr:<name>}, every value written by the
 * session serializer. Reading goes through Spring Session's own {@link RedisSessionMapper}, so both repositories
 * accept and refuse the same hashes. The lock field is not session data and is skipped. Thread-safe.
 */
final class SessionHashCodec {

    static final String CREATION_TIME = "creationTime";
    static final String LAST_ACCESSED_TIME = "lastAccessedTime";
    static final String MAX_INACTIVE_INTERVAL = "maxInactiveInterval";
    static final String ATTRIBUTE_PREFIX = "sessionAttr:";

    private final RedisSerializer<Object> serializer;
    private final RedisSessionMapper mapper = new RedisSessionMapper();

    SessionHashCodec(RedisSerializer<Object> serializer) {
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** The session stored in {@code fields} (field names and values as stored), lock field ignored. */
    MapSession decode(String id, Map<byte[], byte[]> fields) {
        Map<String, @Nullable Object> values = new HashMap<>(fields.size());
        fields.forEach((field, value) -> put(values, field, value));
        return mapper.apply(id, values);
    }

    /** The session in a script reply {@code {status, field, value, field, value, ...}}, lock field ignored. */
    MapSession decodeReply(String id, List<Object> reply) {
        Map<String, @Nullable Object> values = new HashMap<>(reply.size() / 2);
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            put(values, (byte[]) reply.get(i), (byte[]) reply.get(i + 1));
        }
        return mapper.apply(id, values);
    }

    private void put(Map<String, @Nullable Object> values, byte[] field, byte[] value) {
        String name = new String(field, StandardCharsets.UTF_8);
        // The lock field, the queue fields and the waiter counts are the lock's, not session data.
        if (!name.startsWith(SessionHashScripts.LOCK_FIELD_PREFIX)
                && !name.startsWith(SessionHashScripts.QUEUE_FIELD_PREFIX)
                && !name.startsWith(SessionHashScripts.WAITERS_FIELD_PREFIX)) {
            values.put(name, serializer.deserialize(value));
        }
    }

    /** The stored form of a field value; an empty value for {@code null}, as Spring Session writes it. */
    byte[] encode(@Nullable Object value) {
        byte[] bytes = serializer.serialize(value);
        return bytes != null ? bytes : new byte[0];
    }

    static String attributeField(String attributeName) {
        return ATTRIBUTE_PREFIX + attributeName;
    }
}
