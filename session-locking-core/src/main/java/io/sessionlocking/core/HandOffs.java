package io.sessionlocking.core;

/**
 * A backend's announcements that a lock was handed to a waiting owner: the release of a lock whose queue is not empty
 * makes the queue's first owner the holder and publishes its owner value on the lock's channel, so that its waiter
 * goes on at once instead of at its next poll. One subscription connection per JVM serves every lock; a JVM listens to
 * a lock's channel only while it has waiters for it (and a while after, so that a hot session is not subscribed to
 * again and again).
 *
 * <p>Announcements are at most once (Redis pub/sub): one is lost only when the subscription is not in place, which
 * {@link Watch#period()} tells, so that the engine polls at the retry delay exactly while it may have missed one.
 * Implementations are thread-safe and never block the caller.
 */
public interface HandOffs extends AutoCloseable {

    /** {@link Watch#period()} while the lock's channel is not subscribed (not yet, or the connection dropped). */
    long NOT_SUBSCRIBED = -1;

    /** Adds a receiver of every announcement, and of every moment when announcements may have been lost. */
    void listen(Listener listener);

    /** Interest in the announcements of the lock at {@code key} until the returned watch is closed; subscribes if needed. */
    Watch watch(String key);

    /**
     * The current {@link Watch#period() period} of the lock's channel, without taking an interest in it: a waiter reads
     * it before its first attempt, so that queueing on a channel subscribed already needs no poll.
     */
    long period(String key);

    /** A short name for logs and the endpoint, e.g. {@code redis-pubsub}. */
    String name();

    /** Stops listening and closes the subscription connection. */
    @Override
    void close();

    /** Receives announcements; called on the client's I/O thread, so it must be quick and must not block. */
    interface Listener {

        /**
         * The lock at {@code key} was handed to {@code ownerValue}; an empty {@code ownerValue} says that the lock's
         * key was deleted with its queue (a session deleted while it had waiters): nobody was handed the lock, and the
         * waiters should look again now.
         */
        void handedOver(String key, String ownerValue);

        /**
         * Announcements on the channel of {@code key} may have been lost (its subscription ended: a dropped
         * connection): waiters should check now, and poll until a new period begins.
         */
        void mayHaveMissed(String key);
    }

    /** One caller's interest in one lock's announcements. */
    interface Watch extends AutoCloseable {

        /**
         * An id of the unbroken period during which the lock's channel has been subscribed, or {@link
         * #NOT_SUBSCRIBED}. While it stays the same, no announcement published in it was lost; it changes with every
         * (re)subscription.
         */
        long period();

        /** Ends this interest; idempotent. */
        @Override
        void close();
    }
}
