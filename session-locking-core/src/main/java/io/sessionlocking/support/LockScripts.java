package io.sessionlocking.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis lock-key backends, shared by Lettuce and Redisson so that both guard a key
 * identically. Each is a constant (never built at run time) with its SHA-1, for {@code EVALSHA}. Internal helper.
 *
 * <p>The lock is one key, a list: its first element is the holder's owner value, the rest are the owner values of
 * waiters queued behind it, in arrival order, one per waiting JVM. The key's TTL is the holder's: when a holder dies,
 * the lock and its queue expire together, so nothing is left behind. A release hands the lock to the next in the
 * queue (which then holds it, with a fresh TTL) and publishes that owner value on a channel named like the key, so its
 * waiter goes on at once. Redis runs a script atomically and freezes key expiry while it runs, so the compare and the
 * write see the same key state; every script touches this one key, so it runs on Redis Cluster as is.
 */
public final class LockScripts {

    /**
     * Acquire: KEYS[1] the lock, ARGV[1] owner value, ARGV[2] TTL ms, ARGV[3] the mode: 'poll' (take it if free,
     * never queue), 'queue' (take it if free, else queue at the end), 'queued' (an earlier attempt queued this owner
     * value: taken if handed over, else still queued, else queued again). Replies {1} taken (or already this owner's),
     * {0, pttl, holder} held, {2, pttl} queued behind a holder whose lock has pttl ms left.
     */
    public static final String ACQUIRE = "local lock, owner, mode = KEYS[1], ARGV[1], ARGV[3] "
            + "if mode == 'queued' then "
            + "  local head = redis.call('lindex', lock, 0) "
            + "  if head == owner then return {1} end "
            + "  if head and redis.call('lpos', lock, owner) then return {2, redis.call('pttl', lock)} end "
            + "  mode = 'queue' "
            + "end "
            + "if mode == 'poll' then "
            + "  local head = redis.call('lindex', lock, 0) "
            + "  if head == owner then return {1} end "
            + "  if head then return {0, redis.call('pttl', lock), head} end "
            + "  redis.call('rpush', lock, owner) "
            + "  redis.call('pexpire', lock, ARGV[2]) "
            + "  return {1} "
            + "end "
            + "if redis.call('rpush', lock, owner) == 1 then "
            + "  redis.call('pexpire', lock, ARGV[2]) "
            + "  return {1} "
            + "end "
            + "return {2, redis.call('pttl', lock)}";

    /**
     * Release with hand-off: KEYS[1] the lock, ARGV[1] owner value, ARGV[2] TTL ms. Removes the holder only if it is
     * ARGV[1]; then the next in the queue holds the lock for ARGV[2] ms and its owner value is published on the
     * channel KEYS[1]. Replies 1 released (nobody queued), 2 handed over, 0 not the owner's (nothing changed, but a
     * foreign lock whose list this emptied and restored keeps at most ARGV[2] ms).
     */
    public static final String RELEASE = "local head = redis.call('lpop', KEYS[1]) "
            + "if head ~= ARGV[1] then "
            + "  if head and redis.call('lpush', KEYS[1], head) == 1 then redis.call('pexpire', KEYS[1], ARGV[2]) end "
            + "  return 0 "
            + "end "
            + "local nextOwner = redis.call('lindex', KEYS[1], 0) "
            + "if nextOwner then "
            + "  redis.call('pexpire', KEYS[1], ARGV[2]) "
            + "  redis.call('publish', KEYS[1], nextOwner) "
            + "  return 2 "
            + "end "
            + "return 1";

    /**
     * Leave the queue: KEYS[1] the lock, ARGV[1] owner value, ARGV[2] TTL ms. A waiter that gives up: if the lock was
     * handed to it meanwhile it is released as by {@link #RELEASE}, else its entry is removed. Replies as RELEASE, or
     * 3 when it was only queued.
     */
    public static final String LEAVE = "if redis.call('lindex', KEYS[1], 0) ~= ARGV[1] then "
            + "  redis.call('lrem', KEYS[1], 1, ARGV[1]) "
            + "  return 3 "
            + "end "
            + "redis.call('lpop', KEYS[1]) "
            + "local nextOwner = redis.call('lindex', KEYS[1], 0) "
            + "if nextOwner then "
            + "  redis.call('pexpire', KEYS[1], ARGV[2]) "
            + "  redis.call('publish', KEYS[1], nextOwner) "
            + "  return 2 "
            + "end "
            + "return 1";

    /**
     * Compare-and-extend: sets the TTL of KEYS[1] to ARGV[2] ms only if its holder is ARGV[1]; replies 1 when
     * extended, else 0.
     */
    public static final String EXTEND = "if redis.call('lindex', KEYS[1], 0) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    /** The holder of KEYS[1] and the lock's remaining TTL in milliseconds together: {holder or false, pttl}. */
    public static final String DESCRIBE = "return {redis.call('lindex', KEYS[1], 0), redis.call('pttl', KEYS[1])}";

    public static final String ACQUIRE_SHA = sha1(ACQUIRE);
    public static final String RELEASE_SHA = sha1(RELEASE);
    public static final String LEAVE_SHA = sha1(LEAVE);
    public static final String DESCRIBE_SHA = sha1(DESCRIBE);
    public static final String EXTEND_SHA = sha1(EXTEND);

    /** The ACQUIRE modes. */
    public static final String POLL = "poll";

    public static final String QUEUE = "queue";
    public static final String QUEUED = "queued";

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
