package io.sessionlocking.example.report;

import java.time.Duration;
import java.time.Instant;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Computes the report slowly and caches it with {@code @Cacheable(sync = true)} in the Redis cache {@value #CACHE}.
 * With {@code session-locking.cache.enabled} the method runs once per expiry across all nodes; each run increments a
 * counter in Redis ({@value #COUNTER}), so the page shows regenerations of every node together.
 */
@Service
public class ReportService {

    public static final String CACHE = "report";
    public static final String KEY = "daily";
    public static final String COUNTER = "demo:report:regenerations";

    private final StringRedisTemplate redis;
    private final Duration computeTime;

    ReportService(StringRedisTemplate redis, ReportProperties properties) {
        this.redis = redis;
        this.computeTime = properties.computeTime();
    }

    @Cacheable(cacheNames = CACHE, key = "'" + KEY + "'", sync = true)
    public Report daily() throws InterruptedException {
        long started = System.nanoTime();
        Thread.sleep(computeTime.toMillis());
        Long generation = redis.opsForValue().increment(COUNTER);
        return new Report(
                generation == null ? 0 : generation,
                Instant.now(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Regenerations so far, counted by every node. */
    public long regenerations() {
        String count = redis.opsForValue().get(COUNTER);
        return count == null ? 0 : Long.parseLong(count);
    }
}
