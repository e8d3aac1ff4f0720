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
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The cache stampede panel in a real headless Chromium: after a flush, "200 parallel readers" makes exactly one
 * regeneration of the 500 ms report, and the page's counter goes up by one; after an expiry that keeps a stale copy,
 * the burst is answered at once and the counter still goes up by one. Screenshots go to {@code target/screenshots/}.
 */
class ReportPageBrowserIntegrationTests {

    private static final Duration PAGE_BOUND = Duration.ofSeconds(60);

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
    void theRegenerationCounterGoesUpByOnePerFlushUnderTwoHundredParallelReaders() throws Exception {
        try (DemoApp app = DemoApp.start(redis.node().port())) {
            ChromeDriver driver = chromium.driver();
            driver.get(app.url("/"));
            await().atMost(PAGE_BOUND)
                    .until(() -> !text(driver, "report-regenerations").isEmpty());

            for (int round = 0; round < 2; round++) {
                click(driver, "report-flush", "flushed");
                long before = counter(driver);

                click(driver, "report-readers", "done");

                assertThat(attribute(driver, "report-result", "data-regenerations"))
                        .isEqualTo("1");
                assertThat(text(driver, "report-result")).startsWith("200 of 200 readers answered");
                assertThat(counter(driver)).isEqualTo(before + 1);
            }
            driver.executeScript("document.getElementById('report-panel').scrollIntoView();");
            chromium.screenshot("report-flush-and-200-readers");

            // With a stale copy the burst does not wait; its one regeneration runs in the background.
            long before = counter(driver);
            click(driver, "report-expire", "expired");
            click(driver, "report-readers", "done");
            assertThat(text(driver, "report-result")).startsWith("200 of 200 readers answered");
            await().atMost(PAGE_BOUND).until(() -> counter(driver) == before + 1);
            click(driver, "report-readers", "done");
            assertThat(attribute(driver, "report-result", "data-regenerations")).isEqualTo("0");
            assertThat(counter(driver)).isEqualTo(before + 1);
            driver.executeScript("document.getElementById('report-panel').scrollIntoView();");
            chromium.screenshot("report-stale-and-200-readers");

            assertThat((List<?>) driver.executeScript("return window.demoErrors;"))
                    .as("JavaScript errors on the page")
                    .isEmpty();
        }
    }

    private static void click(ChromeDriver driver, String button, String state) {
        // Reset first, so that a result left by an earlier click is never taken for this one's.
        driver.executeScript("document.getElementById('report-result').dataset.state = 'clicked';");
        driver.findElement(By.id(button)).click();
        await().atMost(PAGE_BOUND).until(() -> state.equals(attribute(driver, "report-result", "data-state")));
    }

    private static long counter(ChromeDriver driver) {
        return Long.parseLong(text(driver, "report-regenerations"));
    }

    private static String text(ChromeDriver driver, String id) {
        return driver.findElement(By.id(id)).getText().strip();
    }

    private static String attribute(ChromeDriver driver, String id, String name) {
        return driver.findElement(By.id(id)).getDomAttribute(name);
    }
}
