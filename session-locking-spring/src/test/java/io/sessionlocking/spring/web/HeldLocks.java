package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Session locks held in a Redis right now, whichever repository holds them: lock fields of session hashes that have
 * not expired or been released (the fused repository), and lock keys (the decorator; not the waiter counts next to
 * them). Read by one script with the
 * server's clock; for tests on a standalone node.
 */
public final class HeldLocks {

    private static final String COUNT = "local t = redis.call('time') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "local n = 0 "
            + "for _, key in ipairs(redis.call('keys', 'spring:session:lock:*')) do "
            + "  if redis.call('type', key)['ok'] == 'list' then n = n + 1 end "
            + "end "
            + "for _, key in ipairs(redis.call('keys', 'spring:session:sessions:*')) do "
            + "  if redis.call('type', key)['ok'] == 'hash' then "
            + "    for _, field in ipairs(redis.call('hkeys', key)) do "
            + "      local e = string.match(field, '^sessionLock:(%d+):') "
            + "      if e and tonumber(e) > now then n = n + 1 end "
            + "    end "
            + "  end "
            + "end "
            + "return n";

    private HeldLocks() {}

    public static int count(RedisNode redis) {
        return Integer.parseInt(redis.command("EVAL", COUNT, "0"));
    }

    /** Waits (bounded) until no session lock is held. */
    public static void assertNoneLeft(RedisNode redis) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(count(redis)).as("session locks held").isZero());
    }

    /** Waits (bounded) until some request holds a session lock. */
    public static void awaitOneHeld(RedisNode redis) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(redis) > 0);
    }
}
