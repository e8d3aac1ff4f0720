package io.sessionlocking.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionlocking.cache.Readers;
import io.sessionlocking.cache.RegenerationException;
import io.sessionlocking.spring.actuate.CacheRegenerationsEndpoint;
import io.sessionlocking.spring.metrics.CacheRegenerationMetrics;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The stampede of issue 11 on two application contexts sharing one Redis, as two nodes of one site would: 200
 * readers of one {@code @Cacheable(sync = true)} report, half on each node. The report's method blocks on a latch
 * until every reader is known to wait, so the counts never depend on timing.
 */
class CacheStampedeIntegrationTests {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeEach
    void startNodes() {
        redis.node().flushAll();
        ReportApplication.regenerations.set(0);
        // A 5 s poll: a wake-up faster than that comes from the fill notification.
        String[] properties = {
            "session-locking.cache.poll-interval=5s",
            "session-locking.cache.wait-timeout=30s",
            "session-locking.cache.stale-while-revalidate=1m"
        };
        first = ReportApplication.start(redis.node().port(), properties);
        second = ReportApplication.start(redis.node().port(), properties);
    }

    @AfterEach
    void stopNodes() {
        ReportApplication.behaviour = () -> "report";
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void twoHundredReadersOnAFlushedKeyAcrossTwoContextsMakeExactlyOneRegeneration() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ReportApplication.behaviour = () -> {
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return "daily report";
        };
        List<ReportApplication.Reports> nodes = List.of(reports(first), reports(second));

        Readers readers =
                Readers.start(200, i -> () -> nodes.get(i % 2).report("daily")).go();
        await().atMost(BOUND).until(() -> waiting(first) + waiting(second) == 199);
        List<CacheRegenerationsEndpoint.Running> running = new java.util.ArrayList<>();
        running.addAll(endpoint(first).report().inFlight());
        running.addAll(endpoint(second).report().inFlight());
        assertThat(running).singleElement().satisfies(r -> {
            assertThat(r.cache()).isEqualTo("reports");
            assertThat(r.key()).isEqualTo("reports::daily");
            assertThat(r.trigger()).isEqualTo("miss");
        });
        long released = System.nanoTime();
        release.countDown();
        List<Readers.Result> results = readers.await(BOUND);

        assertThat(ReportApplication.regenerations).hasValue(1);
        assertThat(results).hasSize(200).allSatisfy(r -> assertThat(r.value()).isEqualTo("daily report"));
        Duration slowestAfterTheValueLanded = Duration.ofNanos(
                results.stream().mapToLong(Readers.Result::finishedNanos).max().orElseThrow() - released);
        // The regeneration ended when released; the last reader answers far sooner than the 5 s poll.
        assertThat(slowestAfterTheValueLanded).isLessThan(Duration.ofMillis(1500));

        assertThat(regenerationTimerCount(first) + regenerationTimerCount(second))
                .isEqualTo(1);
        assertThat(endpointRegenerations(first) + endpointRegenerations(second)).isEqualTo(1);
    }

    @Test
    void withAStaleCopyEveryReaderAnswersAtOnceWhileOneRegenerationRuns() throws Exception {
        List<ReportApplication.Reports> nodes = List.of(reports(first), reports(second));
        assertThat(nodes.get(0).report("daily")).isEqualTo("report");
        markStale(first, "reports::daily");
        ReportApplication.regenerations.set(0);
        CountDownLatch release = new CountDownLatch(1);
        ReportApplication.behaviour = () -> {
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return "fresh report";
        };

        List<Readers.Result> results = Readers.start(
                        200, i -> () -> nodes.get(i % 2).report("daily"))
                .go()
                .await(BOUND);

        // All 200 answered with the stale copy while the one regeneration was still held at its latch.
        assertThat(results).hasSize(200).allSatisfy(r -> assertThat(r.value()).isEqualTo("report"));
        assertThat(Readers.quantile(results, 0.99)).isLessThan(Duration.ofSeconds(1));
        assertThat(ReportApplication.regenerations).hasValue(1);
        release.countDown();
        await().atMost(BOUND).until(() -> "fresh report".equals(nodes.get(1).report("daily")));
        assertThat(ReportApplication.regenerations).hasValue(1);
        assertThat(staleServed(first) + staleServed(second)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aFailingRegenerationReleasesEveryWaiterPromptlyAndTheNextCallRetries() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ReportApplication.behaviour = () -> {
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            throw new IllegalStateException("report database down");
        };
        List<ReportApplication.Reports> nodes = List.of(reports(first), reports(second));

        Readers readers =
                Readers.start(40, i -> () -> nodes.get(i % 2).report("daily")).go();
        await().atMost(BOUND).until(() -> waiting(first) + waiting(second) == 39);
        long thrown = System.nanoTime();
        release.countDown();
        List<Readers.Result> results = readers.await(BOUND);
        Duration released = Duration.ofNanos(
                results.stream().mapToLong(Readers.Result::finishedNanos).max().orElseThrow() - thrown);

        assertThat(results)
                .filteredOn(r -> r.error() instanceof IllegalStateException)
                .hasSize(1);
        assertThat(results)
                .filteredOn(r -> r.error() instanceof RegenerationException)
                .hasSize(39);
        assertThat(released).isLessThan(Duration.ofMillis(1500));
        ReportApplication.behaviour = () -> "retried";
        assertThat(nodes.get(1).report("daily")).isEqualTo("retried");
        assertThat(ReportApplication.regenerations).hasValue(2);
    }

    private static ReportApplication.Reports reports(ConfigurableApplicationContext context) {
        return context.getBean(ReportApplication.Reports.class);
    }

    private static int waiting(ConfigurableApplicationContext context) {
        return context.getBean(CacheRegeneration.class).waitingCount("reports");
    }

    private static void markStale(ConfigurableApplicationContext context, String key) {
        assertThat(context.getBean(CacheManager.class).getCache("reports")).isNotNull();
        assertThat(context.getBean(CacheRegeneration.class)
                        .guard("reports")
                        .markStale(key.getBytes(StandardCharsets.UTF_8)))
                .isTrue();
    }

    private static long regenerationTimerCount(ConfigurableApplicationContext context) {
        return context
                .getBean(MeterRegistry.class)
                .find(CacheRegenerationMetrics.REGENERATION)
                .tags("cache", "reports", "outcome", "success")
                .timers()
                .stream()
                .mapToLong(timer -> timer.count())
                .sum();
    }

    private static double staleServed(ConfigurableApplicationContext context) {
        return context
                .getBean(MeterRegistry.class)
                .find(CacheRegenerationMetrics.STALE_SERVED)
                .tag("cache", "reports")
                .counters()
                .stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private static CacheRegenerationsEndpoint endpoint(ConfigurableApplicationContext context) {
        return context.getBean(CacheRegenerationsEndpoint.class);
    }

    private static long endpointRegenerations(ConfigurableApplicationContext context) {
        var report = endpoint(context).report();
        var reports = report.caches().get("reports");
        return reports == null ? 0 : (Long) reports.get("regenerations");
    }
}
