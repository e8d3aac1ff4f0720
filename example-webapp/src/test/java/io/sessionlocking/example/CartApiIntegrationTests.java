package io.sessionlocking.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The cart API over real HTTP, on a real Redis: its JSON shape, its 400s, and no lost update under the lock. */
class CartApiIntegrationTests {

    private static final int PARALLEL = 20;

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private static DemoApp app;

    @BeforeAll
    static void start() {
        app = DemoApp.start(redis.node().port());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void getCreatesTheSessionAndAnswersTheDocumentedShape() throws Exception {
        HttpResponse<String> response = app.send("GET", "/api/cart", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(cookie -> assertThat(cookie).startsWith("SESSION="));
        JsonNode cart = DemoApp.JSON.readTree(response.body());
        assertThat(cart.propertyNames()).containsExactly("sessionHandler", "items", "count");
        assertThat(cart.get("sessionHandler").asString()).isEqualTo("locking");
        assertThat(cart.get("items").isArray()).isTrue();
        assertThat(cart.get("items").size()).isZero();
        assertThat(cart.get("count").asLong()).isZero();
    }

    @Test
    void twentyParallelAddsWithOneCookieAllCount() throws Exception {
        String cookie = app.newSession();

        List<Integer> statuses = addInParallel(List.of(app), cookie);

        assertThat(statuses).containsOnly(200);
        JsonNode cart = app.cart(cookie);
        assertThat(cart.get("count").asLong()).isEqualTo(PARALLEL);
        assertThat(sumOfQuantities(cart)).isEqualTo(PARALLEL);
        assertNoLockKeyLeft();
    }

    @Test
    void addMergesLinesAndCountsTheTotalQuantity() throws Exception {
        String cookie = app.newSession();

        add(cookie, "{\"sku\":\"tea\",\"qty\":2}");
        add(cookie, "{\"sku\":\"coffee\",\"qty\":3}");
        HttpResponse<String> last = add(cookie, "{\"sku\":\"tea\"}");

        JsonNode cart = DemoApp.JSON.readTree(last.body());
        assertThat(cart.get("items").toString())
                .isEqualTo("[{\"sku\":\"tea\",\"qty\":3},{\"sku\":\"coffee\",\"qty\":3}]");
        assertThat(cart.get("count").asLong()).isEqualTo(6);
        assertThat(app.cart(cookie)).isEqualTo(cart);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing sku        | {"qty":1}                 | sku is required
            null sku           | {"sku":null,"qty":1}      | sku is required
            blank sku          | {"sku":"   ","qty":1}     | sku must not be blank
            too long sku       | {"sku":"%s","qty":1}      | sku must be at most 64 characters
            zero qty           | {"sku":"tea","qty":0}     | qty must be between 1 and 1000, was 0
            negative qty       | {"sku":"tea","qty":-5}    | qty must be between 1 and 1000, was -5
            qty over 1000      | {"sku":"tea","qty":1001}  | qty must be between 1 and 1000, was 1001
            malformed JSON     | {"sku":"tea",             | request body is not valid JSON
            not JSON           | sku=tea                   | request body is not valid JSON
            qty not a number   | {"sku":"tea","qty":"x"}   | field 'qty' has the wrong type
            empty body         | ''                        | request body is missing
            """)
    void badInputGets400NamingTheProblem(String name, String body, String message) throws Exception {
        String cookie = app.newSession();

        HttpResponse<String> response = add(cookie, body.formatted("x".repeat(65)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(DemoApp.JSON.readTree(response.body()).get("message").asString())
                .startsWith(message);
        assertThat(app.cart(cookie).get("count").asLong()).isZero();
    }

    @Test
    void deleteEmptiesTheCart() throws Exception {
        String cookie = app.newSession();
        add(cookie, "{\"sku\":\"tea\",\"qty\":4}");

        HttpResponse<String> response = app.send("DELETE", "/api/cart", cookie, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(DemoApp.JSON.readTree(response.body()).get("count").asLong()).isZero();
        JsonNode cart = app.cart(cookie);
        assertThat(cart.get("count").asLong()).isZero();
        assertThat(cart.get("items").size()).isZero();
    }

    @Test
    void twoInstancesOnOneRedisShareSessionsAndLocks() throws Exception {
        try (DemoApp second = DemoApp.start(redis.node().port())) {
            String cookie = app.newSession();

            List<Integer> statuses = addInParallel(List.of(app, second), cookie);

            assertThat(statuses).containsOnly(200);
            assertThat(second.cart(cookie).get("count").asLong()).isEqualTo(PARALLEL);
            assertThat(app.cart(cookie).get("count").asLong()).isEqualTo(PARALLEL);
        }
        assertNoLockKeyLeft();
    }

    private static HttpResponse<String> add(String cookie, String json) throws Exception {
        return app.send("POST", "/api/cart/items", cookie, json);
    }

    /** Sends the adds all at once, alternating over the instances; returns their statuses. */
    private static List<Integer> addInParallel(List<DemoApp> apps, String cookie) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            responses.add(apps.get(i % apps.size())
                    .sendAsync("POST", "/api/cart/items", cookie, "{\"sku\":\"sku-" + (i % 4) + "\",\"qty\":1}"));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            statuses.add(response.get(60, TimeUnit.SECONDS).statusCode());
        }
        return statuses;
    }

    private static long sumOfQuantities(JsonNode cart) {
        long sum = 0;
        for (JsonNode item : cart.get("items")) {
            sum += item.get("qty").asLong();
        }
        return sum;
    }

    /** No session lock held: no live lock field in a session hash (expiry 0 is released), no decorator lock key. */
    private static void assertNoLockKeyLeft() {
        String heldLocks = "local t = redis.call('time') "
                + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
                + "local n = #redis.call('keys', 'spring:session:lock:*') "
                + "for _, key in ipairs(redis.call('keys', 'spring:session:sessions:*')) do "
                + "  for _, field in ipairs(redis.call('hkeys', key)) do "
                + "    local e = string.match(field, '^sessionLock:(%d+):') "
                + "    if e and tonumber(e) > now then n = n + 1 end "
                + "  end "
                + "end "
                + "return n";
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(redis.node().command("EVAL", heldLocks, "0")).isEqualTo("0"));
    }
}
