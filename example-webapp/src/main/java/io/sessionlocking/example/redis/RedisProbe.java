package io.sessionlocking.example.redis;

/** Tells whether a usable Redis answers on an address; a seam so that the decision can be tested without sockets. */
@FunctionalInterface
interface RedisProbe {

    /** Whether a Redis that needs no password answers {@code PING} on {@code host:port}; never blocks for long. */
    boolean answers(String host, int port);
}
