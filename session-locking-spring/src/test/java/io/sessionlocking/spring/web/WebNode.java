package io.sessionlocking.spring.web;

import io.sessionlocking.testsupport.redis.RedisCluster;
import io.sessionlocking.testsupport.redis.RedisSentinelGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** One running instance of {@link CounterApplication} on a random port, with a plain HTTP client. */
final class WebNode implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final ConfigurableApplicationContext context;
    private final HttpClient client;
    private final String base;

    private WebNode(ConfigurableApplicationContext context) {
        this.context = context;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    static WebNode start(int redisPort, Map<String, String> properties) {
        return start(CounterApplication.class, redisPort, properties);
    }

    /** A node of another test application than {@link CounterApplication}. */
    static WebNode start(Class<?> application, int redisPort, Map<String, String> properties) {
        return start(
                application,
                List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort),
                properties);
    }

    /** A node with {@code configurations} added to {@link CounterApplication}, e.g. beans that watch or break it. */
    static WebNode start(int redisPort, Map<String, String> properties, Class<?>... configurations) {
        return start(
                CounterApplication.class,
                List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort),
                properties,
                configurations);
    }

    /** A node on a Redis Cluster, seeded with every node of {@code cluster}. */
    static WebNode startOnCluster(RedisCluster cluster, Map<String, String> properties) {
        String seeds = cluster.nodes().stream()
                .map(node -> node.host() + ":" + node.port())
                .collect(Collectors.joining(","));
        return start(CounterApplication.class, List.of("spring.data.redis.cluster.nodes=" + seeds), properties);
    }

    /** A node on a Sentinel group, through Spring Boot's standard {@code spring.data.redis.sentinel.*} properties. */
    static WebNode startOnSentinel(RedisSentinelGroup sentinel, Map<String, String> properties) {
        return start(
                CounterApplication.class,
                List.of(
                        "spring.data.redis.sentinel.master=" + sentinel.masterName(),
                        "spring.data.redis.sentinel.nodes=" + String.join(",", sentinel.sentinelAddresses())),
                properties);
    }

    private static WebNode start(
            Class<?> application, List<String> redis, Map<String, String> properties, Class<?>... configurations) {
        List<String> args = new ArrayList<>(redis);
        args.addAll(List.of("server.port=0", "server.tomcat.threads.max=120", "logging.level.io.sessionlocking=INFO"));
        // The tests fire dozens of parallel requests at one session on purpose (they must all wait, none be refused);
        // the tests of the cap set their own.
        args.add("session-locking.max-waiters-per-session=100");
        properties.forEach((key, value) -> args.add(key + "=" + value));
        return new WebNode(new SpringApplicationBuilder(application)
                .sources(configurations)
                .properties(args.toArray(String[]::new))
                .run());
    }

    int port() {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /** Creates a session; returns its cookie ("SESSION=..."). */
    String newSession() throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/session", null);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    HttpResponse<String> send(String method, String path, String cookie) throws IOException, InterruptedException {
        return client.send(request(method, path, cookie, REQUEST_TIMEOUT), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code json} as the body, without a cookie (an operator's call to an Actuator endpoint). */
    HttpResponse<String> sendJson(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String method, String path, String cookie, Duration timeout, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            builder.headers(headers);
        }
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        return builder.build();
    }

    HttpClient client() {
        return client;
    }

    /** The cookie that carries session {@code id}, as Spring Session encodes it (Base64). */
    static String cookieOf(String id) {
        return "SESSION="
                + java.util.Base64.getEncoder().encodeToString(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    int counter(String cookie) throws IOException, InterruptedException {
        return Integer.parseInt(send("GET", "/counter", cookie).body());
    }

    @Override
    public void close() {
        context.close();
    }
}
