package io.sessionlocking.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One running demo on a random port, on the given Redis, with a plain HTTP client that sends a cookie it is given. */
final class DemoApp implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;
    private final HttpClient client;
    private final String base;

    private DemoApp(ConfigurableApplicationContext context) {
        this.context = context;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** Starts the demo on the Redis at {@code redisPort}; {@code properties} are "name=value" pairs. */
    static DemoApp start(int redisPort, String... properties) {
        List<String> args = new ArrayList<>(
                List.of("server.port=0", "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort));
        args.addAll(List.of(properties));
        // Command-line arguments, so that they win over application.yml as a user's would.
        return new DemoApp(new SpringApplicationBuilder(ShopApplication.class)
                .run(args.stream().map(arg -> "--" + arg).toArray(String[]::new)));
    }

    String url(String path) {
        return base + path;
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /** A new session, made by {@code GET /api/cart} as the page does; returns its cookie ("SESSION=..."). */
    String newSession() throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/api/cart", null, null);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    HttpResponse<String> send(String method, String path, @Nullable String cookie, @Nullable String json)
            throws IOException, InterruptedException {
        return client.send(request(method, path, cookie, json), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> sendAsync(
            String method, String path, @Nullable String cookie, @Nullable String json) {
        return client.sendAsync(request(method, path, cookie, json), HttpResponse.BodyHandlers.ofString());
    }

    /** The cart of the session with {@code cookie}, as JSON. */
    JsonNode cart(String cookie) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/api/cart", cookie, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/cart answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpRequest request(String method, String path, @Nullable String cookie, @Nullable String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        return builder.build();
    }

    @Override
    public void close() {
        context.close();
    }
}
