package io.sessionlocking.spring.redis;

import java.util.List;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the fused repository. Each touches exactly one key, the session's hash, so every one runs on a
 * Redis Cluster without hash tags. Redis runs a script atomically and freezes key expiry while it runs, so a check and
 * the writes after it see one state. Scripts are constants, run by SHA ({@code EVALSHA}, falling back to {@code EVAL}
 * on {@code NOSCRIPT}, by Spring Data Redis).
 *
 * <p>The lock is one field of the session hash, {@code sessionLock:<expiresAtMillis>:<ownerValue>}, with an empty
 * value: Spring Session reads an empty value as null and ignores fields that are not its own, whatever serializer the
 * application configured, so plain {@code RedisSessionRepository} nodes read and write these sessions unharmed. The
 * owner value is the holder's random token and description. Expiry is the Redis server's clock ({@code TIME}); an
 * expiry of 0 marks a lock released by its owner, which keeps its owner value so that the owner's late write still
 * lands while nobody else has taken the lock since. Invariant: a hash holds at most one such field.
 *
 * <p>Waiters of other nodes queue in the same hash, one field each, {@code sessionLockQueue:<queuedAtMillis>:<owner>}
 * (empty value). A release with waiters queued hands the lock to the oldest one that is still within its wait (older
 * entries are dropped), and publishes its owner value on the channel named like the session's key, so that its node
 * wakes it at once.
 *
 * <p>While requests wait for the lock, each waiting node's count of them sits in the hash too, one field per node,
 * {@code sessionLockWaiters:<expiresAtMillis>:<count>:<owner>} (empty value), under the owner value that polls or
 * queues for the node: an attempt on a held lock replaces its own field and answers with the sum of the others' that
 * have not expired (dropping expired ones), so that the per-session waiter cap counts across nodes in the same round
 * trip. Taking the lock, being handed it, or leaving drops the owner value's field.
 */
final class SessionHashScripts {

    /** Prefix of the lock field. */
    static final String LOCK_FIELD_PREFIX = "sessionLock:";

    /** Prefix of the queue fields; skipped as data, like the lock field. */
    static final String QUEUE_FIELD_PREFIX = "sessionLockQueue:";

    /** Prefix of the waiter count fields; skipped as data, like the lock field. */
    static final String WAITERS_FIELD_PREFIX = "sessionLockWaiters:";

    /**
     * {@code readLock(names)}: the server's time in ms, and the lock field among the hash's field {@code names} with
     * its expiry and owner value (nil, nil, nil when there is none or it is malformed).
     */
    private static final String READ_LOCK = "local function readLock(names) "
            + "  local t = redis.call('time') "
            + "  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "  for i = 1, #names do "
            + "    if string.sub(names[i], 1, 12) == 'sessionLock:' then "
            + "      local e, o = string.match(names[i], '^sessionLock:(%d+):(.*)$') "
            + "      return now, names[i], tonumber(e), o "
            + "    end "
            + "  end "
            + "  return now, nil, nil, nil "
            + "end ";

    /** {@code setLock(current, expiry, owner)}: replaces the lock field {@code current} (if any) by a new one. */
    private static final String WRITE_LOCK = "local function setLock(current, expiry, owner) "
            + "  if current then redis.call('hdel', KEYS[1], current) end "
            + "  redis.call('hset', KEYS[1], 'sessionLock:' .. string.format('%d', expiry) .. ':' .. owner, '') "
            + "end ";

    /**
     * {@code dropCount(names, owner)}: removes the waiter count field of {@code owner}. {@code report(names, now, owner,
     * count, forMs)}: replaces it by one with {@code count}, expiring {@code forMs} after {@code now}, drops expired
     * fields, and answers the sum of the other owners' counts.
     */
    private static final String WAITERS = "local function dropCount(names, owner) "
            + "  for i = 1, #names do "
            + "    if string.match(names[i], '^sessionLockWaiters:%d+:%d+:(.*)$') == owner then "
            + "      redis.call('hdel', KEYS[1], names[i]) "
            + "    end "
            + "  end "
            + "end "
            + "local function report(names, now, owner, count, forMs) "
            + "  local others = 0 "
            + "  for i = 1, #names do "
            + "    local e, c, o = string.match(names[i], '^sessionLockWaiters:(%d+):(%d+):(.*)$') "
            + "    if e then "
            + "      if o == owner or tonumber(e) <= now then redis.call('hdel', KEYS[1], names[i]) "
            + "      else others = others + tonumber(c) end "
            + "    end "
            + "  end "
            + "  redis.call('hset', KEYS[1], 'sessionLockWaiters:' .. string.format('%d', now + forMs) .. ':' "
            + "      .. count .. ':' .. owner, '') "
            + "  return others "
            + "end ";

    /**
     * {@code queueEntry(names, owner)}: the queue field of {@code owner}, or nil. {@code handOff(names, current, now,
     * ttl, maxWait)}: gives the lock to the oldest queued owner queued less than {@code maxWait} ms ago (dropping
     * older entries, and the new holder's waiter count), publishes its owner value on the key's channel, and answers
     * true; false when nobody waits. Needs {@link #WAITERS}.
     */
    private static final String QUEUE = "local function queueEntry(names, owner) "
            + "  for i = 1, #names do "
            + "    if string.match(names[i], '^sessionLockQueue:%d+:(.*)$') == owner then return names[i] end "
            + "  end "
            + "  return nil "
            + "end "
            + "local function handOff(names, current, now, ttl, maxWait) "
            + "  local best, bestAt "
            + "  for i = 1, #names do "
            + "    local at = string.match(names[i], '^sessionLockQueue:(%d+):') "
            + "    if at then "
            + "      at = tonumber(at) "
            + "      if at + maxWait < now then redis.call('hdel', KEYS[1], names[i]) "
            + "      elseif not bestAt or at < bestAt then best, bestAt = names[i], at end "
            + "    end "
            + "  end "
            + "  if not best then return false end "
            + "  local nextOwner = string.match(best, '^sessionLockQueue:%d+:(.*)$') "
            + "  redis.call('hdel', KEYS[1], best) "
            + "  dropCount(names, nextOwner) "
            + "  setLock(current, now + ttl, nextOwner) "
            + "  redis.call('publish', KEYS[1], nextOwner) "
            + "  return true "
            + "end ";

    /** {@code expireAt(i)}: sets the key's expiry to ARGV[i] (epoch ms), or removes it for '-1'. */
    private static final String EXPIRE = "local function expireAt(i) "
            + "  if ARGV[i] == '-1' then redis.call('persist', KEYS[1]) "
            + "  else redis.call('pexpireat', KEYS[1], ARGV[i]) end "
            + "end ";

    /**
     * Lock and load: takes the lock of an existing session for owner ARGV[1] with TTL ARGV[2] ms if it is free,
     * expired or already that owner's (handed over to it). ARGV[3] '1' to return the session's fields, ARGV[4] the mode:
     * 'poll' (never queue), 'queue' or 'queued' (queue behind the holder, once), ARGV[5] this node's waiters for the
     * lock, ARGV[6] how long to keep that count, ms. Replies {@code false} when there is no session (nothing is
     * created), {@code {1, field, value, ...}} when taken (every field of the hash when ARGV[3] is '1', else just {1};
     * the owner's waiter count is dropped), {@code {0, ttlLeftMs, holderOwnerValue, others}} when someone else holds
     * it, {@code {2, ttlLeftMs, holderOwnerValue, others}} when queued behind it, {@code others} being the other nodes'
     * waiters (this one's count recorded).
     */
    static final RedisScript<List> LOCK_AND_LOAD = RedisScript.of(
            READ_LOCK + WRITE_LOCK + WAITERS + QUEUE
                    + "local fields = redis.call('hgetall', KEYS[1]) "
                    + "if #fields == 0 then return false end "
                    + "local names = {} "
                    + "for i = 1, #fields, 2 do names[#names + 1] = fields[i] end "
                    + "local now, current, expires, owner = readLock(names) "
                    + "if current and owner ~= ARGV[1] and expires and expires > now then "
                    + "  local others = report(names, now, ARGV[1], ARGV[5], tonumber(ARGV[6])) "
                    + "  if ARGV[4] == 'poll' then return {0, expires - now, owner, others} end "
                    + "  if not queueEntry(names, ARGV[1]) then "
                    + "    redis.call('hset', KEYS[1], 'sessionLockQueue:' .. string.format('%d', now) .. ':' .. ARGV[1], '') "
                    + "  end "
                    + "  return {2, expires - now, owner, others} "
                    + "end "
                    + "local mine = queueEntry(names, ARGV[1]) "
                    + "if mine then redis.call('hdel', KEYS[1], mine) end "
                    + "dropCount(names, ARGV[1]) "
                    + "setLock(current, now + tonumber(ARGV[2]), ARGV[1]) "
                    + "if ARGV[3] ~= '1' then return {1} end "
                    + "local reply = {1} "
                    + "for i = 1, #fields do reply[i + 1] = fields[i] end "
                    + "return reply",
            List.class);

    /**
     * Fenced delta save. ARGV[1] owner value ('' for an unfenced write, which leaves the lock alone), ARGV[2] 'keep'
     * or 'release', ARGV[3] lock TTL ms, ARGV[4] key expiry (epoch ms, '-1' for none), ARGV[5] longest wait ms (how
     * long a queued waiter may still be waiting), ARGV[6] n, then n field/value pairs to set, then fields to delete. A
     * fenced write lands only while the lock field carries ARGV[1] (held, expired but not taken, or released by that
     * owner); 'keep' moves a held lock's expiry to now + TTL, 'release' hands it to the oldest queued waiter or marks it
     * released; a released lock is never taken again by a late write. Replies 1 written, 0 no such session, -1 lock not
     * the owner's; in the last two cases nothing is written.
     */
    static final RedisScript<Long> SAVE = RedisScript.of(
            READ_LOCK + WRITE_LOCK + WAITERS + QUEUE + EXPIRE
                    + "local names = redis.call('hkeys', KEYS[1]) "
                    + "if #names == 0 then return 0 end "
                    + "if ARGV[1] ~= '' then "
                    + "  local now, current, expires, owner = readLock(names) "
                    + "  if owner ~= ARGV[1] then return -1 end "
                    + "  if ARGV[2] == 'release' then "
                    + "    if expires ~= 0 and not handOff(names, current, now, tonumber(ARGV[3]), tonumber(ARGV[5])) then "
                    + "      setLock(current, 0, owner) "
                    + "    end "
                    + "  elseif expires ~= 0 then "
                    + "    setLock(current, now + tonumber(ARGV[3]), owner) "
                    + "  end "
                    + "end "
                    + "local n = tonumber(ARGV[6]) "
                    + "if n > 0 then redis.call('hset', KEYS[1], unpack(ARGV, 7, 6 + 2 * n)) end "
                    + "if #ARGV > 6 + 2 * n then redis.call('hdel', KEYS[1], unpack(ARGV, 7 + 2 * n, #ARGV)) end "
                    + "expireAt(4) "
                    + "return 1",
            Long.class);

    /**
     * Creates a session that must not exist yet (a new one, or the target of an id change): ARGV as for {@link #SAVE},
     * with every field in the pairs. With an owner value the lock field is written with it, held (now + TTL) or, for
     * 'release', released. Replies 1 created, -2 a session with this id exists already (nothing written).
     */
    static final RedisScript<Long> CREATE = RedisScript.of(
            EXPIRE
                    + "if redis.call('exists', KEYS[1]) == 1 then return -2 end "
                    + "local n = tonumber(ARGV[6]) "
                    + "redis.call('hset', KEYS[1], unpack(ARGV, 7, 6 + 2 * n)) "
                    + "if ARGV[1] ~= '' then "
                    + "  local expiry = 0 "
                    + "  if ARGV[2] ~= 'release' then "
                    + "    local t = redis.call('time') "
                    + "    expiry = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[3]) "
                    + "  end "
                    + "  redis.call('hset', KEYS[1], 'sessionLock:' .. string.format('%d', expiry) .. ':' .. ARGV[1], '') "
                    + "end "
                    + "expireAt(4) "
                    + "return 1",
            Long.class);

    /**
     * Deletes the session (and its lock and queue with it) if its lock carries owner ARGV[1], or whoever holds it for
     * ''. Replies 1 deleted, 0 no such session, -1 lock not the owner's (nothing deleted). With waiters of other nodes
     * queued it publishes an empty owner value on the key's channel: no release will ever announce a hand-off to them,
     * so their nodes wake them to look again now rather than when the lock would have expired.
     */
    static final RedisScript<Long> DELETE_IF_OWNED = RedisScript.of(
            READ_LOCK
                    + "local names = redis.call('hkeys', KEYS[1]) "
                    + "if #names == 0 then return 0 end "
                    + "if ARGV[1] ~= '' then "
                    + "  local now, current, expires, owner = readLock(names) "
                    + "  if owner ~= ARGV[1] then return -1 end "
                    + "end "
                    + "redis.call('del', KEYS[1]) "
                    + "for i = 1, #names do "
                    + "  if string.sub(names[i], 1, 17) == 'sessionLockQueue:' then "
                    + "    redis.call('publish', KEYS[1], '') "
                    + "    break "
                    + "  end "
                    + "end "
                    + "return 1",
            Long.class);

    /**
     * Owner-checked lock operations without session data: ARGV[1] owner value, ARGV[2] the operation, ARGV[3] TTL ms,
     * ARGV[4] longest wait ms. 'release': hands the lock to the oldest queued waiter, or marks it released (1 if it
     * was the owner's and not released yet). 'extend': expiry to now + TTL (1 if the owner's and not released).
     * 'held': 1 if the owner's and not expired. 'leave': a waiter gives up; its waiter count and queue entry are
     * removed, and if the lock was handed to it meanwhile, it is released as by 'release' (1). Replies 0 otherwise.
     */
    static final RedisScript<Long> LOCK_OPERATION = RedisScript.of(
            READ_LOCK + WRITE_LOCK + WAITERS + QUEUE
                    + "local names = redis.call('hkeys', KEYS[1]) "
                    + "if #names == 0 then return 0 end "
                    + "local now, current, expires, owner = readLock(names) "
                    + "if ARGV[2] == 'leave' then "
                    + "  dropCount(names, ARGV[1]) "
                    + "  local mine = queueEntry(names, ARGV[1]) "
                    + "  if mine then redis.call('hdel', KEYS[1], mine) return 0 end "
                    + "end "
                    + "if owner ~= ARGV[1] then return 0 end "
                    + "if ARGV[2] == 'held' then "
                    + "  if expires > now then return 1 end return 0 "
                    + "end "
                    + "if expires == 0 then return 0 end "
                    + "if ARGV[2] == 'release' or ARGV[2] == 'leave' then "
                    + "  if not handOff(names, current, now, tonumber(ARGV[3]), tonumber(ARGV[4])) then "
                    + "    setLock(current, 0, owner) "
                    + "  end "
                    + "  return 1 "
                    + "end "
                    + "setLock(current, now + tonumber(ARGV[3]), owner) "
                    + "return 1",
            Long.class);

    /** Who holds the lock: {@code {ownerValue, ttlLeftMs}} while it is held and not expired, else {@code false}. */
    static final RedisScript<List> DESCRIBE = RedisScript.of(
            READ_LOCK
                    + "local now, current, expires, owner = readLock(redis.call('hkeys', KEYS[1])) "
                    + "if current and expires and expires > now then return {owner, expires - now} end "
                    + "return false",
            List.class);

    /**
     * A read-only request's refresh: sets field {@code lastAccessedTime} to ARGV[1] and the key's expiry to ARGV[2]
     * (epoch ms, '-1' for none), only if the session exists. Replies 1, or 0 when there is no session.
     */
    static final RedisScript<Long> TOUCH = RedisScript.of(
            EXPIRE
                    + "if redis.call('exists', KEYS[1]) == 0 then return 0 end "
                    + "redis.call('hset', KEYS[1], 'lastAccessedTime', ARGV[1]) "
                    + "expireAt(2) "
                    + "return 1",
            Long.class);

    private SessionHashScripts() {}
}
