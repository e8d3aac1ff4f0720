package io.sessionlocking.cache.redis;

import io.sessionlocking.support.LockScripts;

/**
 * The Lua scripts of the Redis entry store, each a constant (never built at run time) with its SHA-1. Every script
 * touches one key, the entry's hash, so it is atomic and runs on Redis Cluster as is. Times come from {@code TIME} on
 * the server (scripts replicate their effects, so this is allowed and replicas see the same values).
 *
 * <p>Fields of the entry: {@code v} value, {@code f} fresh-until, {@code s} stale-while-revalidate-until, {@code e}
 * stale-if-error-until (epoch ms; -1 for a value without expiry), {@code d} the last regeneration's time in ms,
 * {@code t} the lock owner's token, {@code u} lock-until, {@code g} the lock generation, {@code x} the last failed
 * generation, {@code w} present while a caller waits for the lock's outcome.
 */
final class EntryScripts {

    private static final String NOW = "local clock = redis.call('TIME') "
            + "local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) ";

    /**
     * A key of another type under an entry's name (a plain {@code RedisCache} string written before the guard was on)
     * is an old copy in a format the guard cannot serve: it is deleted, so the entry reads as missing.
     */
    private static final String FORMAT = "local kind = redis.call('TYPE', KEYS[1])['ok'] "
            + "if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', KEYS[1]) end ";

    /**
     * Read-or-lock: decides from the entry and takes the lock in one step, so two callers can never both see a miss
     * and both lock. KEYS[1] entry; ARGV token, lock TTL ms, XFetch factor, awaited generation, may lock (1/0).
     * Replies {state, value or false, delta ms, generation}, state 1..8 in the order of {@code EntryStore.State}.
     */
    static final String READ = NOW
            + FORMAT
            + "local key = KEYS[1] "
            + "local h = redis.call('HMGET', key, 'v', 'f', 's', 'e', 'd', 't', 'u', 'g', 'x') "
            + "local value = h[1] "
            + "local fresh = tonumber(h[2]) "
            + "local delta = tonumber(h[5]) or 0 "
            + "local generation = tonumber(h[8]) or 0 "
            + "local held = h[6] ~= false and (tonumber(h[7]) or 0) > now "
            + "local mayLock = ARGV[5] == '1' "
            + "local ttl = tonumber(ARGV[2]) "
            + "local function lock() "
            + "  generation = generation + 1 "
            + "  redis.call('HSET', key, 't', ARGV[1], 'u', now + ttl, 'g', generation) "
            + "  local pttl = redis.call('PTTL', key) "
            + "  if (pttl == -1 and not value) or (pttl >= 0 and pttl < ttl) then redis.call('PEXPIRE', key, ttl) end "
            + "end "
            + "if value then "
            + "  if fresh < 0 or now < fresh then "
            + "    if fresh >= 0 and mayLock and not held and now + delta * tonumber(ARGV[3]) >= fresh then "
            + "      lock() return {2, value, delta, generation} "
            + "    end "
            + "    return {1, value, delta, generation} "
            + "  end "
            + "  if now < tonumber(h[3]) then "
            + "    if held or not mayLock then return {3, value, delta, generation} end "
            + "    lock() return {4, value, delta, generation} "
            + "  end "
            + "end "
            + "local copy = false "
            + "if value and now < tonumber(h[4]) then copy = value end "
            + "if not mayLock then return {8, copy, delta, generation} end "
            + "local awaited = tonumber(ARGV[4]) "
            + "if awaited > 0 and (tonumber(h[9]) or 0) >= awaited then return {7, copy, delta, generation} end "
            + "if held then redis.call('HSET', key, 'w', '1') return {6, copy, delta, generation} end "
            + "lock() return {5, copy, delta, generation}";

    /**
     * Replaces the entry by a value with its expiry, keeping the generation; deletes the entry after the longer stale
     * window; publishes the key on the channel if someone waited. ARGV[2] value, fresh ms (0: no expiry), SWR ms, SIE
     * ms, delta ms (-1: keep), channel.
     */
    private static final String STORE = "local function store(key) "
            + "  local old = redis.call('HMGET', key, 'g', 'd', 'w') "
            + "  local delta = ARGV[6] "
            + "  if delta == '-1' then delta = old[2] or '0' end "
            + "  redis.call('DEL', key) "
            + "  local ttl = tonumber(ARGV[3]) "
            + "  if ttl == 0 then "
            + "    redis.call('HSET', key, 'v', ARGV[2], 'f', -1, 's', -1, 'e', -1, 'd', delta, 'g', old[1] or 0) "
            + "  else "
            + "    local fresh = now + ttl "
            + "    local swr = fresh + tonumber(ARGV[4]) "
            + "    local sie = fresh + tonumber(ARGV[5]) "
            + "    redis.call('HSET', key, 'v', ARGV[2], 'f', fresh, 's', swr, 'e', sie, 'd', delta, 'g', old[1] or 0) "
            + "    redis.call('PEXPIREAT', key, math.max(swr, sie)) "
            + "  end "
            + "  if old[3] then redis.call('PUBLISH', ARGV[7], key) end "
            + "end ";

    /** Token-checked fill: stores only while ARGV[1] holds the lock (a lost or superseded load stores nothing). */
    static final String FILL =
            NOW + STORE + "if redis.call('HGET', KEYS[1], 't') ~= ARGV[1] then return 0 end store(KEYS[1]) return 1";

    /** Unconditional store: supersedes any lock, whose holder's fill then fails. ARGV[1] is unused. */
    static final String PUT = NOW + STORE + "store(KEYS[1]) return 1";

    /** Stores unless a fresh value is present, which it returns; false (nil) when stored. */
    static final String PUT_IF_ABSENT = NOW
            + FORMAT
            + STORE
            + "local h = redis.call('HMGET', KEYS[1], 'v', 'f') "
            + "if h[1] then local fresh = tonumber(h[2]) if fresh < 0 or now < fresh then return h[1] end end "
            + "store(KEYS[1]) return false";

    /**
     * Token-checked unlock: ARGV token, channel, failed (1/0). A failure records the generation, so its waiters give
     * up; either way the waiters are told.
     */
    static final String UNLOCK = "local key = KEYS[1] "
            + "if redis.call('HGET', key, 't') ~= ARGV[1] then return 0 end "
            + "redis.call('HDEL', key, 't', 'u') "
            + "if ARGV[3] == '1' then redis.call('HSET', key, 'x', redis.call('HGET', key, 'g') or '0') end "
            + "if redis.call('HDEL', key, 'w') == 1 then redis.call('PUBLISH', ARGV[2], key) end "
            + "return 1";

    /** Token-checked renewal: ARGV token, lock TTL ms; keeps the entry alive at least as long as the lock. */
    static final String EXTEND = NOW
            + "if redis.call('HGET', KEYS[1], 't') ~= ARGV[1] then return 0 end "
            + "local ttl = tonumber(ARGV[2]) "
            + "redis.call('HSET', KEYS[1], 'u', now + ttl) "
            + "local pttl = redis.call('PTTL', KEYS[1]) "
            + "if pttl >= 0 and pttl < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end "
            + "return 1";

    /** Soft purge: the value goes stale now and its stale windows (ARGV SWR ms, SIE ms) start now. */
    static final String MARK_STALE = NOW
            + FORMAT
            + "local key = KEYS[1] "
            + "local h = redis.call('HMGET', key, 'v', 'e', 't', 'u') "
            + "if not h[1] then return 0 end "
            + "local swr = now + tonumber(ARGV[1]) "
            + "local sie = math.max(tonumber(h[2]) or 0, now + tonumber(ARGV[2])) "
            + "redis.call('HSET', key, 'f', now, 's', swr, 'e', sie) "
            + "local keep = math.max(swr, sie) "
            + "if h[3] then keep = math.max(keep, tonumber(h[4]) or 0) end "
            + "if keep <= now then redis.call('DEL', key) else redis.call('PEXPIREAT', key, keep) end "
            + "return 1";

    static final String READ_SHA = LockScripts.sha1(READ);
    static final String FILL_SHA = LockScripts.sha1(FILL);
    static final String PUT_SHA = LockScripts.sha1(PUT);
    static final String PUT_IF_ABSENT_SHA = LockScripts.sha1(PUT_IF_ABSENT);
    static final String UNLOCK_SHA = LockScripts.sha1(UNLOCK);
    static final String EXTEND_SHA = LockScripts.sha1(EXTEND);
    static final String MARK_STALE_SHA = LockScripts.sha1(MARK_STALE);

    private EntryScripts() {}
}
