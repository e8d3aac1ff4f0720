package io.sessionlocking.example.cart;

/** A cart request the API refuses with 400; the message names the problem and is sent to the client. */
class InvalidCartRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidCartRequestException(String message) {
        super(message);
    }
}
