package io.sessionlocking.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sessionlocking.core.HandOffs;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link HandOffs} on one Lettuce pub/sub connection: a lock's channel (named like its key) is subscribed while this
 * JVM has a waiter queued for it, and for {@link #IDLE_UNSUBSCRIBE} after the last one left, so that a hot session is
 * not subscribed to again for every wait. Works on a standalone and on a cluster client (classic pub/sub: a cluster
 * node forwards every {@code PUBLISH} to all nodes, so one subscription connection hears the whole cluster).
 *
 * <p>Periods: each confirmed subscription of a channel starts a new period (a number from one counter); a disconnect
 * of the pub/sub connection ends the periods of every channel (Lettuce subscribes again after it reconnects, which
 * starts new ones). So a waiter that queued within a period that is still current cannot have missed its hand-off.
 *
 * <p>Invariants: a channel's interest count changes only inside {@link ConcurrentHashMap#compute} (serialised per
 * channel); {@code SUBSCRIBE} is sent right after a channel entry is created (once it is visible to the confirmation)
 * and again by the sweeper while a channel with waiters stays unconfirmed, and {@code UNSUBSCRIBE} only when the
 * sweeper removes an idle entry in the same {@code compute}, so an unsubscribe never follows a newer subscribe. Listeners run on Lettuce's
 * event loop and must be quick. Thread-safe.
 */
public final class LettuceHandOffs implements HandOffs {

    /** How long a channel stays subscribed after its last waiter left. */
    public static final Duration IDLE_UNSUBSCRIBE = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(LettuceHandOffs.class.getName());

    private final AbstractRedisClient client;
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicLong periods = new AtomicLong();
    private final ScheduledExecutorService sweeper;
    private final RedisConnectionStateListener disconnects;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** How often the sweeper runs: unsubscribes idle channels, and subscribes again where no confirmation came. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    /** A channel: its interest count and subscription period. */
    private static final class Channel {
        volatile int interest; // changed only inside compute; read by the sweeper without it
        long idleSinceNanos;
        /** When {@code SUBSCRIBE} was last sent; read by the sweeper to send it again if it was never confirmed. */
        volatile long subscribeSentNanos;

        volatile long period = NOT_SUBSCRIBED;
    }

    private LettuceHandOffs(AbstractRedisClient client, StatefulRedisPubSubConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String ownerValue) {
                for (Listener listener : listeners) {
                    listener.handedOver(channel, ownerValue);
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                Channel entry = channels.get(channel);
                if (entry != null) {
                    entry.period = periods.incrementAndGet();
                }
            }

            @Override
            public void unsubscribed(String channel, long count) {
                Channel entry = channels.get(channel);
                if (entry != null) {
                    entry.period = NOT_SUBSCRIBED;
                    missed(channel);
                }
            }
        });
        this.disconnects = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (handler == connection) {
                    channels.forEach((channel, entry) -> {
                        entry.period = NOT_SUBSCRIBED;
                        missed(channel);
                    });
                }
            }
        };
        client.addListener(disconnects);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "session-lock-handoffs-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long every = SWEEP_EVERY.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Hand-offs on a new pub/sub connection of {@code client} (standalone or cluster); close to close it. */
    public static LettuceHandOffs connect(AbstractRedisClient client) {
        Objects.requireNonNull(client, "client");
        StatefulRedisPubSubConnection<String, String> connection;
        if (client instanceof RedisClusterClient cluster) {
            connection = cluster.connectPubSub(StringCodec.UTF8);
        } else if (client instanceof RedisClient standalone) {
            connection = standalone.connectPubSub(StringCodec.UTF8);
        } else {
            throw new IllegalArgumentException(
                    "Unsupported Lettuce client " + client.getClass().getName());
        }
        return new LettuceHandOffs(client, connection);
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void missed(String channel) {
        for (Listener listener : listeners) {
            listener.mayHaveMissed(channel);
        }
    }

    @Override
    public Watch watch(String key) {
        boolean[] created = {false};
        Channel entry = channels.compute(key, (k, current) -> {
            Channel channel = current != null ? current : new Channel();
            created[0] = current == null;
            channel.interest++;
            return channel;
        });
        if (created[0]) {
            // After compute, not inside it: the confirmation (subscribed()) looks the entry up, and must find it.
            subscribe(key, entry);
        }
        return new ChannelWatch(key, entry);
    }

    @Override
    public long period(String key) {
        Channel entry = channels.get(key);
        return entry != null ? entry.period : NOT_SUBSCRIBED;
    }

    private void subscribe(String channel, Channel entry) {
        entry.subscribeSentNanos = System.nanoTime();
        try {
            connection.async().subscribe(channel); // confirmed through subscribed(), which starts a period
        } catch (RuntimeException e) {
            // Disconnected: Lettuce subscribes every channel it knows again once it reconnects.
            LOG.log(Level.DEBUG, "Could not subscribe to a lock channel now; waiters poll meanwhile", e);
        }
    }

    /**
     * Unsubscribes channels that have had no waiter for {@link #IDLE_UNSUBSCRIBE}, and subscribes again to channels
     * with waiters whose subscription was never confirmed (a {@code SUBSCRIBE} rejected while disconnected is not
     * one that Lettuce knows to send again after it reconnects); their waiters poll meanwhile.
     */
    void sweep() {
        long now = System.nanoTime();
        if (connection.isOpen()) {
            channels.forEach((channel, entry) -> {
                if (entry.interest > 0
                        && entry.period == NOT_SUBSCRIBED
                        && now - entry.subscribeSentNanos >= SWEEP_EVERY.toNanos()) {
                    subscribe(channel, entry);
                }
            });
        }
        for (String channel : channels.keySet()) {
            channels.computeIfPresent(channel, (k, entry) -> {
                if (entry.interest == 0 && now - entry.idleSinceNanos >= IDLE_UNSUBSCRIBE.toNanos()) {
                    try {
                        connection.async().unsubscribe(k);
                    } catch (RuntimeException e) {
                        return entry; // try again at the next sweep
                    }
                    return null;
                }
                return entry;
            });
        }
    }

    /** Channels subscribed or being subscribed now; for tests and the endpoint. */
    public int channelCount() {
        return channels.size();
    }

    @Override
    public String name() {
        return "redis-pubsub";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sweeper.shutdownNow();
            client.removeListener(disconnects);
            connection.close();
        }
    }

    private final class ChannelWatch implements Watch {

        private final String key;
        private final Channel entry;
        private final AtomicBoolean open = new AtomicBoolean(true);

        ChannelWatch(String key, Channel entry) {
            this.key = key;
            this.entry = entry;
        }

        @Override
        public long period() {
            return entry.period;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                channels.computeIfPresent(key, (k, channel) -> {
                    channel.interest--;
                    if (channel.interest == 0) {
                        channel.idleSinceNanos = System.nanoTime();
                    }
                    return channel;
                });
            }
        }
    }
}
