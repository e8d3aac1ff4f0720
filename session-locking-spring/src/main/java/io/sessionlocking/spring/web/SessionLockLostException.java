package io.sessionlocking.spring.web;

/**
 * A request's save was refused because its session's lock is no longer its own ({@link OnLostLock#FAIL}). Nothing of
 * the save was written. The message carries the masked session id only.
 */
public final class SessionLockLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String maskedSessionId;

    public SessionLockLostException(String maskedSessionId) {
        super("The lock of session " + maskedSessionId + " was lost before the request saved it; nothing was written");
        this.maskedSessionId = maskedSessionId;
    }

    public String maskedSessionId() {
        return maskedSessionId;
    }
}
