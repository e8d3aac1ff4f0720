package io.sessionlocking.support;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.LockStore.StoredLock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Turns the replies of {@link LockScripts} into outcomes, the same for every Redis client. Internal helper. */
public final class LockReplies {

    private LockReplies() {}

    /**
     * The reply of {@link LockScripts#ACQUIRE}: {1} taken, {0, pttl, holder, others} held, {2, pttl, others} queued (the
     * holder's value is then unknown, "", but its TTL left is known).
     */
    public static AttemptOutcome<Boolean> acquire(@Nullable List<Object> reply) {
        if (reply == null || reply.isEmpty()) {
            throw new IllegalStateException("Empty reply from the acquire script");
        }
        long status = ((Number) reply.get(0)).longValue();
        if (status == 1) {
            return AttemptOutcome.acquired(Boolean.TRUE);
        }
        Duration left = reply.size() > 1 && reply.get(1) instanceof Number ttl && ttl.longValue() >= 0
                ? Duration.ofMillis(ttl.longValue())
                : null;
        if (status == 2) {
            return AttemptOutcome.queued(left != null ? new StoredLock("", left) : null, count(reply, 2));
        }
        String holder = reply.size() > 2 ? String.valueOf(reply.get(2)) : "";
        return AttemptOutcome.held(left != null ? new StoredLock(holder, left) : null, count(reply, 3));
    }

    private static int count(List<Object> reply, int index) {
        return reply.size() > index && reply.get(index) instanceof Number count
                ? (int) Math.min(count.longValue(), Integer.MAX_VALUE)
                : 0;
    }

    /** The reply of {@link LockScripts#RELEASE}: released (1) or handed over (2), else not the owner's. */
    public static boolean released(@Nullable Object reply) {
        return reply instanceof Number status && (status.longValue() == 1 || status.longValue() == 2);
    }
}
