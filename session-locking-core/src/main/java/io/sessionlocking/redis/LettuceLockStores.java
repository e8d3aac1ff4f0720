package io.sessionlocking.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Makes {@link LettuceLockStore}s on a client and connection of their own, set up for locking:
 *
 * <ul>
 *   <li>commands are rejected while disconnected ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}), so an
 *       outage fails each attempt at once and no stale {@code SET} is replayed after a reconnect;
 *   <li>the client reconnects on its own, at most {@link ReconnectDelays#DEFAULT_MAX} apart, so a waiter recovers
 *       within about a second of Redis coming back, however long it was away;
 *   <li>connecting is bounded by {@link #CONNECT_TIMEOUT};
 *   <li>a second, pub/sub connection hears the announcements of hand-offs ({@link LettuceHandOffs}).
 * </ul>
 */
public final class LettuceLockStores {

    /** Longest time one connection attempt may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private LettuceLockStores() {}

    /** A store on a new standalone connection to {@code uri}; close the result to close the client. */
    public static Managed connect(RedisURI uri) {
        ClientResources resources = ReconnectDelays.clientResources();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(socketOptions())
                .build());
        try {
            var connection = client.connect(StringCodec.UTF8);
            LettuceHandOffs handOffs = LettuceHandOffs.connect(client);
            return new Managed(client, connection, handOffs, new LettuceLockStore(connection.async(), handOffs));
        } catch (RuntimeException e) {
            ReconnectDelays.shutdown(client);
            throw e;
        }
    }

    /** A store on a new cluster connection, discovered from {@code seeds}; close the result to close the client. */
    public static Managed connectCluster(List<RedisURI> seeds) {
        ClientResources resources = ReconnectDelays.clientResources();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(socketOptions())
                .build());
        try {
            var connection = client.connect(StringCodec.UTF8);
            LettuceHandOffs handOffs = LettuceHandOffs.connect(client);
            return new Managed(client, connection, handOffs, new LettuceLockStore(connection.async(), handOffs));
        } catch (RuntimeException e) {
            ReconnectDelays.shutdown(client);
            throw e;
        }
    }

    /**
     * A store on a new connection of a client the application owns (e.g. the one behind Spring Data Redis's
     * {@code LettuceConnectionFactory}); closing the result closes only that connection. The client's options and
     * reconnect delay are the owner's (Spring Boot's client gets rejection while disconnected and capped reconnects
     * from session-locking's auto-configuration): with Lettuce's default of queueing commands while disconnected, an
     * attempt sent during an outage waits in the queue until its command timeout, and the clean-up queued behind it
     * still removes its lock once Redis is back.
     */
    public static Managed connectWith(AbstractRedisClient client) {
        StatefulConnection<String, String> connection;
        if (client instanceof RedisClusterClient cluster) {
            connection = cluster.connect(StringCodec.UTF8);
        } else if (client instanceof RedisClient standalone) {
            connection = standalone.connect(StringCodec.UTF8);
        } else {
            throw new IllegalArgumentException(
                    "Unsupported Lettuce client " + client.getClass().getName());
        }
        try {
            LettuceHandOffs handOffs = LettuceHandOffs.connect(client);
            return new Managed(null, connection, handOffs, new LettuceLockStore(commands(connection), handOffs));
        } catch (RuntimeException e) {
            connection.close(); // the pub/sub connection failed: do not leave the command connection open
            throw e;
        }
    }

    private static RedisClusterAsyncCommands<String, String> commands(StatefulConnection<String, String> connection) {
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            return cluster.async();
        }
        return ((StatefulRedisConnection<String, String>) connection).async();
    }

    private static SocketOptions socketOptions() {
        return SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A store with the client and connection it owns. */
    public static final class Managed implements AutoCloseable {

        private final @Nullable AbstractRedisClient client;
        private final StatefulConnection<String, String> connection;
        private final LettuceHandOffs handOffs;
        private final LettuceLockStore store;

        Managed(
                @Nullable AbstractRedisClient client,
                StatefulConnection<String, String> connection,
                LettuceHandOffs handOffs,
                LettuceLockStore store) {
            this.client = client;
            this.connection = connection;
            this.handOffs = handOffs;
            this.store = store;
        }

        /** The store's hand-off announcements (its pub/sub connection). */
        public LettuceHandOffs handOffs() {
            return handOffs;
        }

        public LettuceLockStore store() {
            return store;
        }

        /** Closes the connection, and shuts the client down if this store created it, waiting a few seconds at most. */
        @Override
        public void close() {
            handOffs.close();
            connection.close();
            if (client != null) {
                ReconnectDelays.shutdown(client);
            }
        }
    }
}
