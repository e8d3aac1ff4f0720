package io.sessionlocking.benchmarks.reliability;

import io.sessionlocking.benchmarks.http.ShopApplication;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.actuate.SessionLockStatistics;
import io.sessionlocking.spring.web.SessionLockActivity;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark module's {@link ShopApplication} on a real Tomcat with a given number of worker threads, against a
 * fixture Redis: an HTTP client for it, and what the probes read from inside (Tomcat's busy worker threads, the lock
 * engine's waiting requests, the failure counts).
 */
final class ProbeShop implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final HttpClient http;
    private final String base;

    private ProbeShop(ConfigurableApplicationContext context) {
        this.context = context;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.base = "http://127.0.0.1:" + port();
    }

    static ProbeShop start(RedisNode redis, int workerThreads, Map<String, String> extra) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "server.tomcat.threads.max=" + workerThreads,
                "server.tomcat.max-connections=10000",
                "server.tomcat.accept-count=1000",
                "spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.timeout=2s",
                "spring.main.banner-mode=off",
                "logging.level.root=WARN"));
        extra.forEach((key, value) -> properties.add(key + "=" + value));
        return new ProbeShop(new SpringApplicationBuilder(ShopApplication.class)
                .properties(properties.toArray(String[]::new))
                .run());
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    SessionLockProvider provider() {
        return context.getBean(SessionLockProvider.class);
    }

    /** Failed acquisitions since start, by reason (lower case). */
    Map<String, Long> failures() {
        return context.getBean(SessionLockStatistics.class).failures();
    }

    /** Requests holding a session lock now. */
    int holding() {
        return context.getBean(SessionLockActivity.class).holdingNow().size();
    }

    /** Tomcat's worker threads running a request now. */
    int busyWorkers() {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
        Executor executor =
                server.getTomcat().getConnector().getProtocolHandler().getExecutor();
        return executor instanceof ThreadPoolExecutor pool ? pool.getActiveCount() : -1;
    }

    /** A new session (a {@code POST /cart}); its cookie, {@code SESSION=...}. */
    String newSession() {
        HttpResponse<String> response = send("POST", "/cart", null);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** Items in the session's cart. */
    int items(String cookie) {
        String body = send("GET", "/cart", cookie).body();
        return Integer.parseInt(body.replaceAll("\\D", ""));
    }

    HttpResponse<String> send(String method, String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    /** The highest value a gauge showed while it was sampled (every millisecond, on a thread of its own). */
    static final class Peak implements AutoCloseable {

        private final AtomicInteger peak = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Peak(IntSupplier gauge) {
            thread = new Thread(
                    () -> {
                        while (running.get()) {
                            peak.accumulateAndGet(gauge.getAsInt(), Math::max);
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "probe-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        int peak() {
            return peak.get();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
