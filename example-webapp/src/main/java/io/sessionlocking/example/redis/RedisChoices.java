package io.sessionlocking.example.redis;

import java.net.URI;
import java.util.List;
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
 *   <li>a Redis answers {@code PING} on {@code demo.redis.probe-host}:{@code demo.redis.probe-port} (default
 *       localhost and Redis's default port): that one;
 *   <li>otherwise: an embedded redis-server on a free port.
 * </ol>
 *
 * The probe is only sent in case 2, and its address is a property so that tests never depend on what runs on the
 * machine's default Redis port.
 */
final class RedisChoices {

    static final String PROBE_HOST = "demo.redis.probe-host";
    static final String PROBE_PORT = "demo.redis.probe-port";
    static final String DEFAULT_PROBE_HOST = "localhost";
    static final int DEFAULT_PROBE_PORT = 6379;

    private static final String PREFIX = "spring.data.redis.";

    private RedisChoices() {}

    static RedisChoice decide(Environment environment, RedisProbe probe) {
        Binder binder = Binder.get(environment);
        String configured = configured(binder);
        if (configured != null) {
            return new RedisChoice.Configured(configured);
        }
        String host = environment.getProperty(PROBE_HOST, DEFAULT_PROBE_HOST);
        int port = environment.getProperty(PROBE_PORT, Integer.class, DEFAULT_PROBE_PORT);
        return probe.answers(host, port) ? new RedisChoice.Running(host, port) : new RedisChoice.Embedded(host, port);
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
            return (host != null ? host : "localhost") + ":" + (port != null ? port : DEFAULT_PROBE_PORT);
        }
        return null;
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort() : DEFAULT_PROBE_PORT);
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
