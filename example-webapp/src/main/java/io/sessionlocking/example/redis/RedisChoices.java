package io.sessionlocking.example.redis;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Decides which Redis the demo uses, in this order:
 *
 * <ol>
 *   <li>any of {@code spring.data.redis.host}, {@code .port}, {@code .url}, {@code .username}, {@code .password},
 *       {@code .cluster.nodes}, {@code .sentinel.nodes} or {@code .masterreplica.nodes} is set: the configured one;
 *   <li>{@code demo.redis=local}: the Redis on localhost's default port, which must answer {@code PING};
 *   <li>otherwise ({@code demo.redis=embedded}, the default): an embedded redis-server on a free port.
 * </ol>
 *
 * A Redis that merely happens to run on the machine is never used unasked: the demo would write its sessions into
 * someone else's data. The probe is only sent in case 2.
 */
final class RedisChoices {

    static final String MODE = "demo.redis";
    static final String LOCAL_HOST = "localhost";
    static final int LOCAL_PORT = 6379;

    private static final String PREFIX = "spring.data.redis.";

    /** The values of {@value #MODE}. */
    enum Mode {
        EMBEDDED,
        LOCAL
    }

    private RedisChoices() {}

    /**
     * @throws IllegalStateException when {@code demo.redis} has an unknown value, or is {@code local} and nothing
     *     answers there
     */
    static RedisChoice decide(Environment environment, RedisProbe probe) {
        Binder binder = Binder.get(environment);
        String configured = configured(binder);
        if (configured != null) {
            return new RedisChoice.Configured(configured);
        }
        if (mode(environment) == Mode.LOCAL) {
            if (!probe.answers(LOCAL_HOST, LOCAL_PORT)) {
                throw new IllegalStateException("demo.redis=local, but no Redis answers PING on " + LOCAL_HOST + ":"
                        + LOCAL_PORT + ": start one there, set spring.data.redis.host/port, or leave demo.redis out "
                        + "to use an embedded Redis");
            }
            return new RedisChoice.Local(LOCAL_HOST, LOCAL_PORT);
        }
        return new RedisChoice.Embedded();
    }

    private static Mode mode(Environment environment) {
        String value = environment.getProperty(MODE, "embedded").strip();
        try {
            return Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid value '" + value + "' for property '" + MODE
                    + "': use 'embedded' (the default) or 'local'");
        }
    }

    /** Where the configuration points, for the log (never credentials), or {@code null} when nothing is set. */
    private static @Nullable String configured(Binder binder) {
        List<String> cluster = nodes(binder, "cluster.nodes");
        if (!cluster.isEmpty()) {
            return "cluster " + String.join(",", cluster);
        }
        List<String> sentinels = nodes(binder, "sentinel.nodes");
        if (!sentinels.isEmpty()) {
            return "sentinel master " + text(binder, "sentinel.master") + " via " + String.join(",", sentinels);
        }
        List<String> replicas = nodes(binder, "masterreplica.nodes");
        if (!replicas.isEmpty()) {
            return "master/replica " + String.join(",", replicas);
        }
        String url = text(binder, "url");
        if (url != null) {
            return hostAndPort(url);
        }
        String host = text(binder, "host");
        String port = text(binder, "port");
        // Credentials alone mean "my Redis at the default address", never the embedded one (it has no password).
        if (host != null || port != null || text(binder, "username") != null || text(binder, "password") != null) {
            return (host != null ? host : "localhost") + ":" + (port != null ? port : LOCAL_PORT);
        }
        return null;
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort() : LOCAL_PORT);
        } catch (IllegalArgumentException e) {
            return "the configured spring.data.redis.url";
        }
    }

    private static @Nullable String text(Binder binder, String name) {
        String value = binder.bind(PREFIX + name, Bindable.of(String.class)).orElse(null);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> nodes(Binder binder, String name) {
        return binder.bind(PREFIX + name, Bindable.listOf(String.class)).orElse(List.of()).stream()
                .filter(node -> !node.isBlank())
                .toList();
    }
}
