package io.sessionlocking.support;

/**
 * The lock key layout: {@code <namespace>:lock:{<sessionId>}}. The session id is a hash tag, so that a session's lock
 * and its data can share one Redis Cluster slot (and one script) when the session keys are tagged the same way.
 * Internal helper.
 */
public final class LockKeys {

    private final String prefix;

    public LockKeys(String namespace) {
        this.prefix = namespace + ":lock:{";
    }

    public String lockKey(String sessionId) {
        return prefix + sessionId + '}';
    }

    /**
     * The key of the waiter counts next to the lock at {@code lockKey} (see {@link LockScripts#ACQUIRE}): the lock key
     * with {@code :waiters} appended, so that it keeps the lock key's hash tag and Cluster slot.
     */
    public static String waitersKey(String lockKey) {
        return lockKey + ":waiters";
    }
}
