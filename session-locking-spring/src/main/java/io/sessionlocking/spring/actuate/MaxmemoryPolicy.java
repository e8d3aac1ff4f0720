package io.sessionlocking.spring.actuate;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code maxmemory-policy} of the Redis that keeps the sessions, and what it means for them. Every session key
 * and every lock key has a TTL, so any policy but {@code noeviction} may evict them when Redis reaches its
 * {@code maxmemory}: {@code allkeys-*} evicts any key, {@code volatile-*} evicts keys with a TTL, which is all of
 * ours. An evicted session logs its user out; an evicted lock lets a second request into the session.
 */
@FunctionalInterface
public interface MaxmemoryPolicy {

    /** No Redis to ask (the memory backend, or no Spring Data Redis). */
    MaxmemoryPolicy UNKNOWN = () -> null;

    /** The policy now, e.g. {@code noeviction}, or {@code null} when it cannot be known. Blocks for one command. */
    @Nullable
    String read();

    /** Whether Redis may evict session and lock keys under this policy. */
    static boolean mayEvict(String policy) {
        return !policy.strip().toLowerCase(Locale.ROOT).equals("noeviction");
    }

    /** The warning for an evicting policy: what may be lost, and what to set. */
    static String warning(String policy) {
        String which = policy.toLowerCase(Locale.ROOT).startsWith("volatile")
                ? "evicts keys that have a TTL, as every session and lock key has"
                : "evicts any key";
        return "Redis maxmemory-policy is " + policy + ": when Redis reaches maxmemory it " + which
                + ", so users are logged out and a session's lock can vanish under the request that holds it; set "
                + "maxmemory-policy noeviction on the Redis that keeps the sessions";
    }
}
