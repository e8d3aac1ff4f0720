package io.sessionlocking.testsupport.redis;

/**
 * Redis answered a command sent through {@link RedisNode#command(String...)} with an error reply (a RESP {@code -}
 * line such as {@code ERR unknown command}). Transport failures are reported as {@link java.io.UncheckedIOException}
 * instead, so tests can tell "Redis said no" from "Redis did not answer".
 */
public final class RedisReplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RedisReplyException(String reply) {
        super(reply);
    }
}
