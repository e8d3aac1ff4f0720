package io.sessionlocking.testsupport.net;

/** Which way bytes flow through a {@link TcpProxy}. */
public enum Direction {
    /** From the client to the target, e.g. commands sent to Redis. */
    UPSTREAM,
    /** From the target back to the client, e.g. Redis replies. */
    DOWNSTREAM
}
