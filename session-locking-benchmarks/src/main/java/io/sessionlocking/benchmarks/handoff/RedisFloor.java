package io.sessionlocking.benchmarks.handoff;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What Redis and Lettuce cost on this machine before any lock logic, measured on the same redis-server and client
 * resources as the hand-offs: the PING round trip in a tight loop (every thread on the path awake), the same round
 * trip after an idle pause as long as the critical section (the threads on the path asleep, as they are when a
 * holder releases), and the delivery of a {@code PUBLISH} to a subscriber of another client after that pause (from
 * the publisher's call to the subscriber's listener). The last one is the floor of any wake-up by pub/sub: a
 * notified hand-off is that delivery plus waking the waiting thread.
 */
final class RedisFloor {

    /** p50 figures in milliseconds. */
    record Figures(double rttHotMillis, double rttAfterPauseMillis, double pubSubDeliveryMillis) {}

    private static final int SAMPLES = 2000;
    private static final int PAUSED_SAMPLES = 300;

    private RedisFloor() {}

    static Figures measure(ClientResources resources, String uri, Duration pause) throws InterruptedException {
        RedisClient publisherClient = RedisClient.create(resources, RedisURI.create(uri));
        RedisClient subscriberClient = RedisClient.create(resources, RedisURI.create(uri));
        try (StatefulRedisConnection<String, String> connection = publisherClient.connect();
                StatefulRedisPubSubConnection<String, String> subscriber = subscriberClient.connectPubSub()) {
            for (int i = 0; i < 500; i++) {
                connection.sync().ping();
            }
            long[] hot = new long[SAMPLES];
            for (int i = 0; i < hot.length; i++) {
                long start = System.nanoTime();
                connection.sync().ping();
                hot[i] = System.nanoTime() - start;
            }
            long[] paused = new long[PAUSED_SAMPLES];
            for (int i = 0; i < paused.length; i++) {
                LockSupport.parkNanos(pause.toNanos());
                long start = System.nanoTime();
                connection.sync().ping();
                paused[i] = System.nanoTime() - start;
            }
            return new Figures(p50(hot), p50(paused), deliveryP50(connection, subscriber, pause));
        } finally {
            publisherClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            subscriberClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static double deliveryP50(
            StatefulRedisConnection<String, String> connection,
            StatefulRedisPubSubConnection<String, String> subscriber,
            Duration pause)
            throws InterruptedException {
        AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(1));
        AtomicLong deliveredAt = new AtomicLong();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliveredAt.set(System.nanoTime());
                delivered.get().countDown();
            }
        });
        subscriber.sync().subscribe("handoff-floor");
        long[] nanos = new long[PAUSED_SAMPLES];
        for (int i = 0; i < nanos.length; i++) {
            CountDownLatch latch = new CountDownLatch(1);
            delivered.set(latch);
            LockSupport.parkNanos(pause.toNanos());
            long start = System.nanoTime();
            connection.async().publish("handoff-floor", "x");
            if (!latch.await(2, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a PUBLISH was not delivered within 2 s");
            }
            nanos[i] = deliveredAt.get() - start;
        }
        return p50(nanos);
    }

    private static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
