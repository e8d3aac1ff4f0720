package io.sessionlocking.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The demo page in a real headless Chromium: "Add 20 items in parallel" sends twenty concurrent fetches on one session
 * cookie; with the locking handler the cart shows 20, with the non-locking profile it may show fewer. Screenshots go
 * to {@code target/screenshots/}.
 */
class ShopPageBrowserIntegrationTests {

    private static final Duration PAGE_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private static Chromium chromium;

    @BeforeAll
    static void startBrowser() throws Exception {
        chromium = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void withLockingTwentyParallelAddsMakeTwentyItems() throws Exception {
        try (DemoApp app = DemoApp.start(redis.node().port())) {
            ChromeDriver driver = open(app, "locking");

            driver.findElement(By.id("add-parallel")).click();
            awaitResult(driver);

            assertThat(text(driver, "cart-count")).isEqualTo("20");
            assertThat(driver.findElement(By.id("result")).getDomAttribute("data-lost"))
                    .isEqualTo("0");
            assertThat(driver.findElement(By.id("result")).getText()).contains("no update was lost");
            assertThat(app.cart(sessionCookie(driver)).get("count").asLong()).isEqualTo(20);

            // The contention panel is fed by the library's endpoint when it is there, and says so when it is not.
            boolean endpoint =
                    app.send("GET", "/actuator/sessionlocks", null, null).statusCode() == 200;
            String expected = endpoint ? "available" : "unavailable";
            await().atMost(PAGE_BOUND).until(() -> expected.equals(panelState(driver)));
            if (endpoint) {
                await().atMost(PAGE_BOUND).until(() -> Long.parseLong(text(driver, "acquired")) >= 20);
            } else {
                assertThat(text(driver, "contention-status")).startsWith("contention panel unavailable");
            }
            assertNoPageErrors(driver);
            chromium.screenshot("shop-locking");
        }
    }

    @Test
    void withTheNonLockingProfileParallelAddsMayLoseUpdates() throws Exception {
        // The endpoint is hidden here so that the panel's fallback is seen for certain.
        try (DemoApp app = DemoApp.start(
                redis.node().port(),
                "spring.profiles.active=non-locking",
                "management.endpoints.web.exposure.include=health")) {
            ChromeDriver driver = open(app, "non-locking");

            driver.findElement(By.id("add-parallel")).click();
            awaitResult(driver);

            long count = app.cart(sessionCookie(driver)).get("count").asLong();
            // Losing an update is likely but not certain: the assertion is only that nothing was invented.
            assertThat(count).isBetween(1L, 20L);
            assertThat(text(driver, "cart-count")).isEqualTo(Long.toString(count));
            assertThat(driver.findElement(By.id("result")).getDomAttribute("data-lost"))
                    .isEqualTo(Long.toString(20 - count));
            await().atMost(PAGE_BOUND).until(() -> "unavailable".equals(panelState(driver)));
            assertThat(text(driver, "contention-status"))
                    .isEqualTo("contention panel unavailable: /actuator/sessionlocks not found");
            assertNoPageErrors(driver);
            chromium.screenshot("shop-non-locking");
        }
    }

    @Test
    void theContentionPanelShowsTheEndpointsJsonAndDegradesWhenFieldsAreMissing() throws Exception {
        try (DemoApp app = DemoApp.start(redis.node().port(), "management.endpoints.web.exposure.include=health")) {
            ChromeDriver driver = open(app, "locking");
            // Stop the page's own polling so that only the documents rendered below are shown.
            driver.executeScript("for (let id = 1; id < 10000; id++) { clearInterval(id); }");

            render(driver, SAMPLE);
            assertThat(panelState(driver)).isEqualTo("available");
            assertThat(text(driver, "waiting-now")).isEqualTo("1");
            assertThat(text(driver, "held-now")).isEqualTo("1");
            assertThat(text(driver, "acquired")).isEqualTo("42");
            assertThat(text(driver, "failed")).isEqualTo("2");
            assertThat(text(driver, "wait-p95")).isEqualTo("35.5");
            assertThat(text(driver, "failure-reasons")).isEqualTo("timeout: 1, too_many_waiters: 1");
            assertThat(driver.findElements(By.cssSelector("#now-table tbody tr")))
                    .hasSize(2);
            assertThat(driver.findElement(By.cssSelector("#failures-table tbody tr"))
                            .getText())
                    .contains("POST /api/cart/items", "timeout");
            assertThat(driver.findElements(By.cssSelector("#wait-chart polyline")))
                    .hasSize(3);
            chromium.screenshot("shop-contention-panel");

            for (String partial : List.of("{}", "{\"totals\":{\"acquired\":1}}", SAMPLE.replace("\"p95\":35.5,", ""))) {
                render(driver, partial);
                assertThat(panelState(driver)).as(partial).isEqualTo("unavailable");
                assertThat(text(driver, "contention-status")).startsWith("contention panel unavailable");
            }
            render(driver, "null");
            assertThat(panelState(driver)).isEqualTo("unavailable");
            assertNoPageErrors(driver);
        }
    }

    private static ChromeDriver open(DemoApp app, String handler) {
        ChromeDriver driver = chromium.driver();
        // Cookies are per host, not per port: start each test with a new session of its own.
        driver.get(app.url("/"));
        driver.manage().deleteAllCookies();
        driver.navigate().refresh();
        await().atMost(PAGE_BOUND).until(() -> handler.equals(text(driver, "handler")));
        return driver;
    }

    private static void awaitResult(ChromeDriver driver) {
        await().atMost(PAGE_BOUND)
                .until(() -> "done".equals(driver.findElement(By.id("result")).getDomAttribute("data-state")));
    }

    private static void render(ChromeDriver driver, String json) {
        driver.executeScript("window.SessionLockPanel.render(JSON.parse(arguments[0]), 200);", json);
    }

    private static String panelState(ChromeDriver driver) {
        return driver.findElement(By.id("contention")).getDomAttribute("data-state");
    }

    private static String text(ChromeDriver driver, String id) {
        WebElement element = driver.findElement(By.id(id));
        return element.getText().strip();
    }

    private static String sessionCookie(ChromeDriver driver) {
        Cookie cookie = driver.manage().getCookieNamed("SESSION");
        assertThat(cookie).as("the page's session cookie").isNotNull();
        return cookie.getName() + "=" + cookie.getValue();
    }

    private static void assertNoPageErrors(ChromeDriver driver) {
        assertThat((List<?>) driver.executeScript("return window.demoErrors;"))
                .as("JavaScript errors on the page")
                .isEmpty();
    }

    /** The endpoint's documented answer, as the library's {@code /actuator/sessionlocks} returns it. */
    private static final String SAMPLE = """
            {"configuration":{"handler":"locking","backend":"redis","retryDelayMs":10,"backoff":"fixed",
              "timeoutMs":24000,"lockTtlMs":30000,"maxRequestTimeMs":30000,"renew":true,"onTimeout":"fail",
              "maxWaitersPerSession":64},
             "totals":{"acquired":42,"failed":2,"failures":{"timeout":1,"too_many_waiters":1,
              "backend_unavailable":0,"interrupted":0},"released":41,"lost":0,
              "skipped":{"method":0,"path":3,"bot":0,"decider":0}},
             "waitTimeMs":{"count":42,"p50":12.0,"p95":35.5,"p99":40.0,"max":41.2},
             "heldTimeMs":{"count":41,"p50":20.0,"p99":30.0,"max":31.0},
             "now":{"heldCount":1,"waitingCount":1,
              "held":[{"session":"3f2a****","method":"POST","path":"/api/cart/items","forMs":12}],
              "waiting":[{"session":"3f2a****","method":"POST","path":"/api/cart/items","forMs":8}]},
             "mostContended":[{"session":"3f2a****","waits":3,"maxWaitMs":40.0}],
             "recentFailures":[{"time":"2026-11-23T05:00:00Z","session":"3f2a****","method":"POST",
              "path":"/api/cart/items","reason":"timeout","waitedMs":300,"attempts":30}]}
            """;
}
