package io.sessionlocking.spring.web;

/**
 * The session store failed or did not answer in time while a request loaded, saved or deleted its session: Redis is
 * down, paused or unreachable, or the command timed out. Thrown by the locking repositories in place of the store
 * client's own exception (Spring's {@code DataAccessException}, Lettuce's {@code RedisException}, the lock store's
 * {@link io.sessionlocking.core.LockStoreException}), so that {@link SessionLockFilter} can answer 503 with reason
 * {@code backend_unavailable} instead of an error page. Whether the failed write reached the store is unknown.
 *
 * <p>The message names the failure's exception types only: store messages can carry keys, and keys carry session ids.
 */
public final class SessionStoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SessionStoreUnavailableException(RuntimeException cause) {
        super("The session store failed: " + SessionStoreFailures.describe(cause), cause);
    }

    /** A later call of a request whose store failed already ({@code first}): not sent to the store again. */
    SessionStoreUnavailableException(SessionStoreUnavailableException first) {
        super(first.getMessage() + " (earlier in this request; not tried again)", first.getCause());
    }
}
