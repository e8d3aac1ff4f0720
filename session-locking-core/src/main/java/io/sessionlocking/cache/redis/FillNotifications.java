package io.sessionlocking.cache.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.cache.EntryWatchers;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One pub/sub subscription per store, to the channel the entry scripts publish filled, failed and released keys on,
 * dispatched to this node's watchers of each key. The connection is Lettuce's: it reconnects and subscribes again on
 * its own. Messages for keys nobody here watches cost a map look-up. Thread-safe.
 *
 * <p>Why pub/sub and not polling alone: with 200 callers on two nodes waiting for one 500 ms regeneration, polling
 * every 10 ms would cost each node's leader 50 reads and still wake callers 5 ms late on average; one message
 * per regeneration wakes them within one round trip (see docs/caching.md for the figures). Polling stays, every
 * {@code poll-interval}, as the safety net for lost messages and dead lock holders.
 */
final class FillNotifications implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FillNotifications.class.getName());

    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final byte[] channel;
    private final EntryWatchers watchers = new EntryWatchers();

    FillNotifications(StatefulRedisPubSubConnection<byte[], byte[]> connection, byte[] channel) {
        this.connection = connection;
        this.channel = channel.clone();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] from, byte[] key) {
                if (Arrays.equals(from, FillNotifications.this.channel)) {
                    watchers.changed(key);
                }
            }
        });
        try {
            connection.async().subscribe(this.channel).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Waiters still poll; Lettuce subscribes again once it reconnects.
            LOG.log(Level.WARNING, "Could not subscribe to cache fill notifications; waiters will poll", e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    byte[] channel() {
        return channel.clone();
    }

    EntryStore.Watch watch(byte[] key, Runnable onChange) {
        return watchers.watch(key, onChange);
    }

    @Override
    public void close() {
        connection.close();
    }
}
