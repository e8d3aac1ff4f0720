package io.sessionlocking.testsupport.redis;

/** A server could not bind its port (another process took it after it was probed); retrying may succeed. */
final class PortUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    PortUnavailableException(String message) {
        super(message);
    }

    PortUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
