package io.sessionlocking.support;

import io.sessionlocking.core.LockStore.StoredLock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Turns the reply of {@link LockScripts#DESCRIBE} into a {@link StoredLock}. Internal helper. */
public final class StoredLocks {

    private StoredLocks() {}

    /** {@code null} when the key does not exist (Redis returns nil, which Lua turns into false, and a negative TTL). */
    public static @Nullable StoredLock fromReply(@Nullable List<Object> reply) {
        if (reply == null || reply.size() < 2 || !(reply.get(0) instanceof String value)) {
            return null;
        }
        long ttlMillis = ((Number) reply.get(1)).longValue();
        return ttlMillis < 0 ? null : new StoredLock(value, Duration.ofMillis(ttlMillis));
    }
}
