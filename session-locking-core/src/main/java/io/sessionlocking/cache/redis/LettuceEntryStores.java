package io.sessionlocking.cache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.redis.ReconnectDelays;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Makes {@link LettuceEntryStore}s: each has one command connection (binary keys and values, no pool: every command
 * is a single non-blocking command) and one pub/sub connection for fill notifications. On a client of their own,
 * commands are rejected while disconnected (an outage fails each call at once), connecting is bounded by {@link
 * LettuceLockStores#CONNECT_TIMEOUT} and reconnects are at most {@link ReconnectDelays#DEFAULT_MAX} apart.
 */
public final class LettuceEntryStores {

    /** The channel fills, failures and releases of awaited entries are published on. */
    public static final String DEFAULT_CHANNEL = "session-locking:cache:filled";

    private LettuceEntryStores() {}

    /** A store on a new standalone client; close the result to close the client. */
    public static Managed connect(RedisURI uri) {
        ClientResources resources = ReconnectDelays.clientResources();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(socketOptions())
                .build());
        return open(client, true, DEFAULT_CHANNEL);
    }

    /** A store on a new cluster client, discovered from {@code seeds}; close the result to close the client. */
    public static Managed connectCluster(List<RedisURI> seeds) {
        ClientResources resources = ReconnectDelays.clientResources();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(socketOptions())
                .build());
        return open(client, true, DEFAULT_CHANNEL);
    }

    /**
     * A store on new connections of a client the application owns (e.g. the one behind Spring Data Redis's {@code
     * LettuceConnectionFactory}); closing the result closes only those connections.
     */
    public static Managed connectWith(AbstractRedisClient client, String channel) {
        return open(client, false, channel);
    }

    private static Managed open(AbstractRedisClient client, boolean owned, String channel) {
        StatefulConnection<byte[], byte[]> connection = null;
        StatefulRedisPubSubConnection<byte[], byte[]> pubSub = null;
        try {
            RedisClusterAsyncCommands<byte[], byte[]> commands;
            if (client instanceof RedisClusterClient cluster) {
                var clusterConnection = cluster.connect(ByteArrayCodec.INSTANCE);
                connection = clusterConnection;
                commands = clusterConnection.async();
                pubSub = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
            } else if (client instanceof RedisClient standalone) {
                var standaloneConnection = standalone.connect(ByteArrayCodec.INSTANCE);
                connection = standaloneConnection;
                commands = standaloneConnection.async();
                pubSub = standalone.connectPubSub(ByteArrayCodec.INSTANCE);
            } else {
                throw new IllegalArgumentException(
                        "Unsupported Lettuce client " + client.getClass().getName());
            }
            FillNotifications notifications = new FillNotifications(pubSub, channel.getBytes(StandardCharsets.UTF_8));
            return new Managed(
                    owned ? client : null, connection, notifications, new LettuceEntryStore(commands, notifications));
        } catch (RuntimeException e) {
            if (pubSub != null) {
                pubSub.close();
            }
            if (connection != null) {
                connection.close();
            }
            if (owned) {
                ReconnectDelays.shutdown(client);
            }
            throw e;
        }
    }

    private static SocketOptions socketOptions() {
        return SocketOptions.builder()
                .connectTimeout(LettuceLockStores.CONNECT_TIMEOUT)
                .build();
    }

    /** A store with the connections (and client) it owns. */
    public static final class Managed implements AutoCloseable {

        private final @Nullable AbstractRedisClient client;
        private final StatefulConnection<byte[], byte[]> connection;
        private final FillNotifications notifications;
        private final LettuceEntryStore store;

        Managed(
                @Nullable AbstractRedisClient client,
                StatefulConnection<byte[], byte[]> connection,
                FillNotifications notifications,
                LettuceEntryStore store) {
            this.client = client;
            this.connection = connection;
            this.notifications = notifications;
            this.store = store;
        }

        public LettuceEntryStore store() {
            return store;
        }

        /** Closes both connections, and shuts the client down if this created it, waiting a few seconds at most. */
        @Override
        public void close() {
            notifications.close();
            connection.close();
            if (client != null) {
                ReconnectDelays.shutdown(client);
            }
        }
    }
}
