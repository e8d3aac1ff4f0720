package io.sessionlocking.example.report;

import io.sessionlocking.spring.cache.CacheRegeneration;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The report API: the cached report, a flush (evict: the next readers find nothing and wait for one regeneration),
 * an expiry that keeps a stale copy (the next readers get it at once while one regenerates), and a burst of parallel
 * readers. None of it touches the session.
 */
@RestController
@RequestMapping(path = "/api/report", produces = MediaType.APPLICATION_JSON_VALUE)
class ReportController {

    static final int MAX_READERS = 500;

    private final ReportService reports;
    private final CacheManager caches;
    private final ObjectProvider<CacheRegeneration> regeneration;
    private final ParallelReaders readers = new ParallelReaders();

    ReportController(ReportService reports, CacheManager caches, ObjectProvider<CacheRegeneration> regeneration) {
        this.reports = reports;
        this.caches = caches;
        this.regeneration = regeneration;
    }

    /** What the page shows besides the report. */
    record Stats(long regenerations, boolean guarded) {}

    /** A burst's summary and the regenerations it caused. */
    record Burst(ParallelReaders.Summary readers, long regenerations, long regenerationsDuringBurst) {}

    @GetMapping
    Report report() throws InterruptedException {
        return reports.daily();
    }

    @GetMapping("/stats")
    Stats stats() {
        return new Stats(reports.regenerations(), regeneration.getIfAvailable() != null);
    }

    /** An immediate evict: Spring Data Redis defers a plain {@code evict} by default. */
    @PostMapping("/flush")
    Stats flush() {
        cache().evictIfPresent(ReportService.KEY);
        return stats();
    }

    /** Marks the report stale but keeps it (a soft purge); without the guard this is a flush. */
    @PostMapping("/expire")
    Stats expire() {
        CacheRegeneration guarded = regeneration.getIfAvailable();
        var guard = guarded != null ? guarded.guard(ReportService.CACHE) : null;
        if (guard != null && cache() instanceof RedisCache redis) {
            String key = redis.getCacheConfiguration().getKeyPrefixFor(ReportService.CACHE) + ReportService.KEY;
            guard.markStale(key.getBytes(StandardCharsets.UTF_8));
        } else {
            cache().evictIfPresent(ReportService.KEY);
        }
        return stats();
    }

    @PostMapping("/readers")
    Burst readers(@RequestParam(defaultValue = "200") int count, HttpServletRequest request)
            throws InterruptedException {
        int readerCount = Math.max(1, Math.min(count, MAX_READERS));
        long before = reports.regenerations();
        URI self = URI.create("http://127.0.0.1:" + request.getLocalPort() + "/api/report");
        ParallelReaders.Summary summary = readers.read(self, readerCount);
        long after = reports.regenerations();
        return new Burst(summary, after, after - before);
    }

    private Cache cache() {
        @Nullable Cache cache = caches.getCache(ReportService.CACHE);
        if (cache == null) {
            throw new IllegalStateException("No cache '" + ReportService.CACHE + "'");
        }
        return cache;
    }
}
