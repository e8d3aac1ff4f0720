package io.sessionlocking.testsupport.net;

import java.util.concurrent.atomic.AtomicLongArray;

/** Byte counts of one {@link TcpProxy}, per {@link Direction}. Thread-safe, lock-free. */
final class Traffic {

    private final AtomicLongArray forwarded = new AtomicLongArray(2);

    private final AtomicLongArray dropped = new AtomicLongArray(2);

    void forwarded(Direction direction, int bytes) {
        forwarded.addAndGet(direction.ordinal(), bytes);
    }

    void dropped(Direction direction, int bytes) {
        dropped.addAndGet(direction.ordinal(), bytes);
    }

    long forwarded(Direction direction) {
        return forwarded.get(direction.ordinal());
    }

    long dropped(Direction direction) {
        return dropped.get(direction.ordinal());
    }
}
