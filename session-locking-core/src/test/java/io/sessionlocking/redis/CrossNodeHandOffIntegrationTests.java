package io.sessionlocking.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.HandOffs;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.testsupport.redis.RedisExtension;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hand-offs across nodes with {@code wake-up: notify}: each "node" is a provider on a Lettuce client and connections of
 * its own. The queue in Redis keeps them exclusive and fair, a release wakes the next node at once, and when the
 * announcements stop (the subscription connection killed, Redis restarted) waiters fall back to polling at the retry
 * delay and go back to being woken once the subscription is back.
 */
class CrossNodeHandOffIntegrationTests {

    private static final Duration RETRY_DELAY = Duration.ofMillis(20);
    /** Slack for a loaded 2-core machine on top of what a test asserts. */
    private static final Duration MARGIN = Duration.ofMillis(250);

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final List<LettuceLockStores.Managed> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(LettuceLockStores.Managed::close);
    }

    private SpinLockProvider node(RedisNode node, RecordingListener listener) {
        LettuceLockStores.Managed store = LettuceLockStores.connect(RedisURI.create(node.uri()));
        stores.add(store);
        LockSettings settings = LockSettings.builder()
                .retryDelay(RETRY_DELAY)
                .timeout(Duration.ofSeconds(20))
                .lockTtl(Duration.ofSeconds(10))
                .build();
        assertThat(settings.wakeUp()).isEqualTo(LockSettings.WakeUp.NOTIFY);
        return new SpinLockProvider(store.store(), settings, listener);
    }

    @Test
    void nodesTakeTurnsExclusivelyAndLoseNoUpdate() throws Exception {
        String sessionId = UUID.randomUUID().toString();
        RecordingListener listener = new RecordingListener();
        List<SpinLockProvider> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(node(redis.node(), listener));
        }
        int[] counter = {0}; // deliberately not atomic: only the lock keeps its updates whole
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        int sectionsPerThread = 40;
        for (SpinLockProvider node : nodes) {
            for (int t = 0; t < 4; t++) {
                threads.add(new Thread(() -> {
                    for (int i = 0; i < sectionsPerThread; i++) {
                        try (SessionLock lock = node.acquire(sessionId)) {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            int read = counter[0];
                            LockSupport.parkNanos(200_000);
                            counter[0] = read + 1;
                            inside.decrementAndGet();
                        }
                    }
                }));
            }
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(counter[0]).isEqualTo(16 * sectionsPerThread);
        assertThat(listener.failed).isEmpty();
        assertThat(redis.node().command("EXISTS", "spring:session:lock:{" + sessionId + "}"))
                .isEqualTo("0");
    }

    @Test
    void everyNodeGetsItsTurn() throws Exception {
        String sessionId = UUID.randomUUID().toString();
        List<SpinLockProvider> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(node(redis.node(), new RecordingListener()));
        }
        Turns turns = new Turns(nodes, sessionId, Duration.ofMillis(2));
        turns.runFor(Duration.ofSeconds(3));

        int min = Arrays.stream(turns.counts).min().orElseThrow();
        int max = Arrays.stream(turns.counts).max().orElseThrow();
        assertThat(min)
                .as("acquisitions per node %s", Arrays.toString(turns.counts))
                .isPositive();
        assertThat(min / (double) max).as("fairness min/max").isGreaterThanOrEqualTo(0.5);
        assertThat(turns.overlaps).hasValue(0);
    }

    @Test
    void aKilledSubscriptionCostsAtMostARetryDelayPerHandOff() throws Exception {
        String sessionId = UUID.randomUUID().toString();
        List<SpinLockProvider> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(node(redis.node(), new RecordingListener()));
        }
        Turns turns = new Turns(nodes, sessionId, Duration.ofMillis(5));
        turns.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> turns.handOffs.size() > 20);
        for (int kill = 0; kill < 3; kill++) {
            redis.node().command("CLIENT", "KILL", "TYPE", "pubsub");
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        }
        turns.stop();

        assertThat(turns.overlaps).hasValue(0);
        assertThat(turns.maxHandOff())
                .as("the longest hand-off while announcements were being lost")
                .isLessThan(RETRY_DELAY.plus(MARGIN).toNanos());
    }

    @Test
    void afterARedisRestartWaitersPollAndThenAreWokenAgain() throws Exception {
        try (RedisNode own = RedisNode.start()) {
            String sessionId = UUID.randomUUID().toString();
            List<SpinLockProvider> nodes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                nodes.add(node(own, new RecordingListener()));
            }
            Turns turns = new Turns(nodes, sessionId, Duration.ofMillis(5));
            turns.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> turns.handOffs.size() > 20);
            own.restart();
            // Back: every node has subscribed again (Lettuce resubscribes after it reconnects).
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            stores.stream().allMatch(store -> store.handOffs().channelCount() > 0)
                                    && own.command("PUBSUB", "NUMSUB", "spring:session:lock:{" + sessionId + "}")
                                            .endsWith("\n2"));
            int before = turns.handOffs.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> turns.handOffs.size() > before + 40);
            turns.stop();

            List<Long> afterRecovery = new ArrayList<>(turns.handOffs).subList(before + 20, turns.handOffs.size());
            long[] sorted =
                    afterRecovery.stream().mapToLong(Long::longValue).sorted().toArray();
            assertThat(Duration.ofNanos(sorted[sorted.length / 2]))
                    .as("hand-off p50 once subscribed again: woken, not polling every %s", RETRY_DELAY)
                    .isLessThan(RETRY_DELAY.dividedBy(2));
            assertThat(turns.overlaps).hasValue(0);
        }
    }

    @Test
    void anAnnouncementForAnAttemptThatFailedIsNotTakenForTheLock() throws Exception {
        // The race: a waiter's queued attempt fails on the client (a stall, a reset), so its store sends a leave behind
        // it; the holder's release hands the lock to that waiter and announces it, and the leave then passes it on to
        // a third node. The waiter has heard the announcement, but the lock is the third node's.
        String sessionId = UUID.randomUUID().toString();
        String key = "spring:session:lock:{" + sessionId + "}";
        SpinLockProvider holderNode = node(redis.node(), new RecordingListener());
        SpinLockProvider thirdNode = node(redis.node(), new RecordingListener());
        LettuceLockStores.Managed waiterStore = LettuceLockStores.connect(RedisURI.create(redis.uri()));
        stores.add(waiterStore);
        CountDownLatch announced = new CountDownLatch(1);
        waiterStore.handOffs().listen(new HandOffs.Listener() {
            @Override
            public void handedOver(String channel, String ownerValue) {
                announced.countDown();
            }

            @Override
            public void mayHaveMissed(String channel) {}
        });
        SessionLock held = holderNode.acquire(sessionId);
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicReference<SessionLock> third = new AtomicReference<>();
        LockStore failingOnce = new ForwardingLockStore(waiterStore.store()) {
            @Override
            public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
                AttemptOutcome<Boolean> outcome = super.acquire(request);
                if (request.queueing() != AttemptRequest.Queueing.QUEUED || !armed.compareAndSet(true, false)) {
                    return outcome;
                }
                held.release(); // hands the lock to this waiter and announces it
                try {
                    assertThat(announced.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                leave(key, request.ownerValue(), request.ttl(), request.timeout()); // what the store sends behind
                third.set(thirdNode.acquire(sessionId)); // the lock the leave passed on is free: taken at once
                throw new LockStoreException("the reply of a queued attempt was lost");
            }
        };
        SpinLockProvider waiterNode = new SpinLockProvider(
                failingOnce,
                LockSettings.builder()
                        .retryDelay(RETRY_DELAY)
                        .timeout(Duration.ofSeconds(20))
                        .lockTtl(Duration.ofSeconds(10))
                        .build());

        java.util.concurrent.CompletableFuture<SessionLock> waiter =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> waiterNode.acquire(sessionId));
        await().atMost(Duration.ofSeconds(20)).until(() -> third.get() != null);
        Thread.sleep(RETRY_DELAY.multipliedBy(20).toMillis()); // room for the waiter to go wrong, if it would
        assertThat(waiter).as("the waiter waits for the third node's lock").isNotDone();
        third.get().release();
        waiter.get(20, TimeUnit.SECONDS).release();
    }

    @Test
    void aChannelWatchedWhileRedisIsDownIsSubscribedOnceItIsBack() throws Exception {
        try (RedisNode own = RedisNode.start()) {
            LettuceLockStores.Managed store = LettuceLockStores.connect(RedisURI.create(own.uri()));
            stores.add(store);
            String channel = "spring:session:lock:{" + UUID.randomUUID() + "}";
            own.stop();
            // The store's client rejects commands while disconnected: this SUBSCRIBE never reaches Redis, and Lettuce
            // does not know the channel when it reconnects. The sweeper sends it again.
            try (HandOffs.Watch watch = store.handOffs().watch(channel)) {
                assertThat(watch.period()).isEqualTo(HandOffs.NOT_SUBSCRIBED);
                own.restart();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> watch.period() != HandOffs.NOT_SUBSCRIBED
                                && String.valueOf(own.command("PUBSUB", "NUMSUB", channel))
                                        .endsWith("\n1"));
            }
        }
    }

    /**
     * One thread per node loops on one lock: take it, hold it for the critical section, release it, and wait until
     * another node has taken it (a forced hand-off), recording each hand-off's latency from the start of its release.
     */
    private static final class Turns {

        final int[] counts;
        final ConcurrentLinkedQueue<Long> handOffs = new ConcurrentLinkedQueue<>();
        final AtomicInteger overlaps = new AtomicInteger();
        private final List<SpinLockProvider> nodes;
        private final String sessionId;
        private final long criticalNanos;
        private final AtomicInteger inside = new AtomicInteger();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final CountDownLatch done;
        private volatile int lastHolder = -1;
        private volatile long releasedAt;

        Turns(List<SpinLockProvider> nodes, String sessionId, Duration critical) {
            this.nodes = nodes;
            this.sessionId = sessionId;
            this.criticalNanos = critical.toNanos();
            this.counts = new int[nodes.size()];
            this.done = new CountDownLatch(nodes.size());
        }

        void runFor(Duration length) throws InterruptedException {
            start();
            LockSupport.parkNanos(length.toNanos());
            stop();
        }

        void start() {
            for (int i = 0; i < nodes.size(); i++) {
                int me = i;
                Thread thread = new Thread(() -> {
                    try {
                        loop(me);
                    } finally {
                        done.countDown();
                    }
                });
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            assertThat(done.await(60, TimeUnit.SECONDS))
                    .as("every node stopped")
                    .isTrue();
        }

        long maxHandOff() {
            return handOffs.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        private void loop(int me) {
            while (!stopping.get()) {
                SessionLock lock = nodes.get(me).acquire(sessionId);
                long entered = System.nanoTime();
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                if (lastHolder != -1 && lastHolder != me) {
                    handOffs.add(entered - releasedAt);
                }
                counts[me]++;
                lastHolder = me;
                LockSupport.parkNanos(criticalNanos);
                inside.decrementAndGet();
                releasedAt = System.nanoTime();
                lock.release();
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (lastHolder == me && !stopping.get() && System.nanoTime() - giveUp < 0) {
                    LockSupport.parkNanos(50_000);
                }
            }
        }
    }
}
