package io.sessionlocking.core;

/**
 * The lock backend failed or did not answer within the command timeout. The message never contains a session id or
 * a lock token.
 */
public final class LockStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LockStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public LockStoreException(String message) {
        super(message);
    }
}
