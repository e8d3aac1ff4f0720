package io.sessionlocking.support;

import io.sessionlocking.core.AttemptRequest;
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
 * waiter goes on at once.
 *
 * <p>While requests wait for a lock, a hash next to it ({@link LockKeys#waitersKey}, in the same Cluster slot through
 * the session id's hash tag) holds each waiting node's count of waiters, under the owner value that polls or queues
 * for that node, with an expiry each: the acquire script records it and sums the others' in the same round trip, so
 * that the per-session waiter cap counts across nodes; a lock that nobody waits for has no such hash. Redis runs a
 * script atomically and freezes key expiry while it runs, so the compare and the write see the same key state.
 */
public final class LockScripts {

    /**
     * Acquire: KEYS[1] the lock, KEYS[2] its waiter counts, ARGV[1] owner value, ARGV[2] TTL ms, ARGV[3] the mode:
     * 'poll' (take it if free, never queue), 'queue' (take it if free, else queue at the end), 'queued' (an earlier
     * attempt queued this owner value: taken if handed over, else still queued, else queued again); 'queue' checks
     * for the owner value first too, so that a command the client sent again after a reconnect (Lettuce resends
     * unanswered commands) neither queues the owner twice nor finds its own lock held; ARGV[4] this
     * node's waiters for the lock, ARGV[5] how long to keep that count, ms. Taking the lock drops the owner value's
     * count; finding it held records {@code <count>:<expiresAtMs>} under the owner value (server time) and answers with
     * the other owner values' unexpired counts, dropping expired ones. Replies {1} taken (or already this owner's), {0,
     * pttl, holder, others} held, {2, pttl, others} queued behind a holder whose lock has pttl ms left.
     */
    public static final String ACQUIRE = "local lock, waiters, owner, mode = KEYS[1], KEYS[2], ARGV[1], ARGV[3] "
            + "local function report() "
            + "  local t = redis.call('time') "
            + "  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "  local mine = now + tonumber(ARGV[5]) "
            + "  local latest, others = mine, 0 "
            + "  local entries = redis.call('hgetall', waiters) "
            + "  for i = 1, #entries, 2 do "
            + "    if entries[i] ~= owner then "
            + "      local count, expires = string.match(entries[i + 1], '^(%d+):(%d+)$') "
            + "      expires = tonumber(expires) "
            + "      if expires and expires > now then "
            + "        others = others + tonumber(count) "
            + "        if expires > latest then latest = expires end "
            + "      else redis.call('hdel', waiters, entries[i]) end "
            + "    end "
            + "  end "
            + "  redis.call('hset', waiters, owner, ARGV[4] .. ':' .. string.format('%d', mine)) "
            + "  redis.call('pexpireat', waiters, latest) "
            + "  return others "
            + "end "
            + "local function taken() "
            + "  redis.call('hdel', waiters, owner) "
            + "  return {1} "
            + "end "
            + "if mode ~= 'poll' then "
            + "  local head = redis.call('lindex', lock, 0) "
            + "  if head == owner then return taken() end "
            + "  if head and redis.call('lpos', lock, owner) then return {2, redis.call('pttl', lock), report()} end "
            + "end "
            + "if mode == 'poll' then "
            + "  local head = redis.call('lindex', lock, 0) "
            + "  if head == owner then return taken() end "
            + "  if head then return {0, redis.call('pttl', lock), head, report()} end "
            + "  redis.call('rpush', lock, owner) "
            + "  redis.call('pexpire', lock, ARGV[2]) "
            + "  return taken() "
            + "end "
            + "if redis.call('rpush', lock, owner) == 1 then "
            + "  redis.call('pexpire', lock, ARGV[2]) "
            + "  return taken() "
            + "end "
            + "return {2, redis.call('pttl', lock), report()}";

    /**
     * {@code handOff()}, after the holder was popped: the first queued owner value whose waiter count has not expired
     * (KEYS[2]; a queued waiter's count lives as long as its wait) holds the lock for ARGV[2] ms, its count is dropped
     * (it waits no more), and its owner value is published on the channel KEYS[1]: replies 2. Queue entries without a
     * live count are dropped on the way: their waiter would have given up by now without leaving, so its node died,
     * and handing it the lock would leave the lock to nobody for a TTL. Replies 1 when nobody is left (the list, empty,
     * is gone).
     */
    private static final String HAND_OFF = "local function handOff() "
            + "  local t = redis.call('time') "
            + "  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "  local nextOwner = redis.call('lindex', KEYS[1], 0) "
            + "  while nextOwner do "
            + "    local count = redis.call('hget', KEYS[2], nextOwner) "
            + "    local expires = count and tonumber(string.match(count, ':(%d+)$')) "
            + "    redis.call('hdel', KEYS[2], nextOwner) "
            + "    if expires and expires > now then "
            + "      redis.call('pexpire', KEYS[1], ARGV[2]) "
            + "      redis.call('publish', KEYS[1], nextOwner) "
            + "      return 2 "
            + "    end "
            + "    redis.call('lpop', KEYS[1]) "
            + "    nextOwner = redis.call('lindex', KEYS[1], 0) "
            + "  end "
            + "  return 1 "
            + "end ";

    /**
     * Release with hand-off: KEYS[1] the lock, KEYS[2] its waiter counts, ARGV[1] owner value, ARGV[2] TTL ms. Removes
     * the holder only if it is ARGV[1]; then hands the lock on ({@link #HAND_OFF}). Replies 1 released (nobody left
     * queued), 2 handed over, 0 not the owner's (nothing changed: a late release never touches another holder's lock
     * or its TTL).
     */
    public static final String RELEASE = HAND_OFF
            + "if redis.call('lindex', KEYS[1], 0) ~= ARGV[1] then return 0 end "
            + "redis.call('lpop', KEYS[1]) "
            + "return handOff()";

    /**
     * Leave: KEYS[1] the lock, KEYS[2] its waiter counts, ARGV[1] owner value, ARGV[2] TTL ms. A waiter that gives up:
     * its count is dropped; if the lock was handed to it meanwhile it is released as by {@link #RELEASE}, else its queue
     * entry (if any) is removed. Replies as RELEASE, or 3 when it did not hold the lock.
     */
    public static final String LEAVE = HAND_OFF
            + "redis.call('hdel', KEYS[2], ARGV[1]) "
            + "if redis.call('lindex', KEYS[1], 0) ~= ARGV[1] then "
            + "  redis.call('lrem', KEYS[1], 1, ARGV[1]) "
            + "  return 3 "
            + "end "
            + "redis.call('lpop', KEYS[1]) "
            + "return handOff()";

    /**
     * Compare-and-extend (KEYS[2] unused): sets the TTL of KEYS[1] to ARGV[2] ms only if its holder is ARGV[1]; replies 1 when
     * extended, else 0.
     */
    public static final String EXTEND = "if redis.call('lindex', KEYS[1], 0) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    /** (KEYS[2] unused.) The holder of KEYS[1] and the lock's remaining TTL in milliseconds together: {holder or false, pttl}. */
    public static final String DESCRIBE = "return {redis.call('lindex', KEYS[1], 0), redis.call('pttl', KEYS[1])}";

    public static final String ACQUIRE_SHA = sha1(ACQUIRE);
    public static final String RELEASE_SHA = sha1(RELEASE);
    public static final String LEAVE_SHA = sha1(LEAVE);
    public static final String DESCRIBE_SHA = sha1(DESCRIBE);
    public static final String EXTEND_SHA = sha1(EXTEND);

    /** The ACQUIRE mode argument of a request's queueing: 'poll', 'queue' or 'queued'. */
    public static String mode(AttemptRequest.Queueing queueing) {
        return switch (queueing) {
            case POLL -> "poll";
            case QUEUE -> "queue";
            case QUEUED -> "queued";
        };
    }

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
