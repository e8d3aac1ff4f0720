package io.sessionlocking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import io.sessionlocking.support.LockKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LockStore} meets under the {@link SpinLockProvider} engine. Each backend's test extends
 * this class and supplies independent stores (for Redis: separate connections, as separate application nodes would
 * have).
 *
 * <p>Timing assertions use generous margins for a loaded two-core machine; every wait is bounded.
 */
public abstract class AbstractSessionLockProviderContractTests {

    /** Slack for scheduling delays on a loaded machine, added to every upper time bound. */
    protected static final Duration MARGIN = Duration.ofMillis(1500);

    private final List<ExecutorService> executors = new ArrayList<>();

    /** A store on a new, independent client. The subclass closes it after the test. */
    protected abstract LockStore newStore();

    protected LockSettings.Builder settings() {
        return LockSettings.builder()
                .retryDelay(Duration.ofMillis(2))
                .maxRequestTime(Duration.ofSeconds(60))
                .timeout(Duration.ofSeconds(30))
                .lockTtl(Duration.ofSeconds(30));
    }

    protected static String newSessionId() {
        return UUID.randomUUID().toString();
    }

    @AfterEach
    void stopExecutors() throws InterruptedException {
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    protected ExecutorService executor(int threads) {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        executors.add(executor);
        return executor;
    }

    @Test
    void mutualExclusionAcrossClientsAndThreads() throws Exception {
        int clients = 3;
        int threadsPerClient = 16;
        int criticalSections = 3000;
        String sessionId = newSessionId();
        OverlapDetector detector = new OverlapDetector();
        AtomicInteger tickets = new AtomicInteger(criticalSections);
        ExecutorService executor = executor(clients * threadsPerClient);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            // Every thread waits: caps above the number of threads, so that none is refused.
            SessionLockProvider provider = new SpinLockProvider(
                    newStore(),
                    settings()
                            .retryDelay(Duration.ofMillis(1))
                            .maxWaitersPerSession(clients * threadsPerClient)
                            .build());
            for (int t = 0; t < threadsPerClient; t++) {
                workers.add(executor.submit(() -> {
                    while (tickets.getAndDecrement() > 0) {
                        try (SessionLock lock = provider.acquire(sessionId)) {
                            detector.criticalSection();
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> worker : workers) {
            worker.get(180, TimeUnit.SECONDS);
        }
        assertThat(detector.overlaps()).as("holders that overlapped").isZero();
        assertThat(detector.count()).as("non-atomic counter").isEqualTo(criticalSections);
    }

    @Test
    void firstAcquisitionIsAtomic() throws Exception {
        int contenders = 200;
        int rounds = 50;
        LockStore store = newStore();
        SessionLockProvider provider = new SpinLockProvider(
                store,
                settings()
                        .retryDelay(Duration.ofMillis(5))
                        .timeout(Duration.ofMillis(100))
                        .build());
        // Warm up the connection and the script cache, so that the first round's winning call is not a cold one.
        provider.acquire(newSessionId()).release();
        ExecutorService executor = executor(contenders);
        for (int round = 0; round < rounds; round++) {
            String sessionId = newSessionId();
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch losersDone = new CountDownLatch(contenders - 1);
            AtomicInteger winners = new AtomicInteger();
            AtomicInteger losers = new AtomicInteger();
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                tasks.add(executor.submit(() -> {
                    start.await();
                    try (SessionLock lock = provider.acquire(sessionId)) {
                        winners.incrementAndGet();
                        // Hold until every other contender has given up, so a second "winner" cannot hide.
                        losersDone.await(30, TimeUnit.SECONDS);
                    } catch (LockCouldNotBeAcquiredException e) {
                        losers.incrementAndGet();
                        losersDone.countDown();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(60, TimeUnit.SECONDS);
            }
            assertThat(winners.get()).as("winners in round %d", round).isEqualTo(1);
            assertThat(losers.get()).as("losers in round %d", round).isEqualTo(contenders - 1);
        }
    }

    @Test
    void waiterGivesUpAtTheTimeout() {
        String sessionId = newSessionId();
        Duration timeout = Duration.ofMillis(300);
        Duration retryDelay = Duration.ofMillis(10);
        RecordingListener listener = new RecordingListener();
        SessionLockProvider holder = new SpinLockProvider(newStore(), settings().build());
        SessionLockProvider waiter = new SpinLockProvider(
                newStore(), settings().timeout(timeout).retryDelay(retryDelay).build(), listener);
        try (SessionLock held = holder.acquire(sessionId)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> waiter.acquire(sessionId))
                    .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                        assertThat(elapsed)
                                .isBetween(timeout, timeout.plus(retryDelay).plus(MARGIN));
                        assertThat(e.waited())
                                .isBetween(timeout, timeout.plus(retryDelay).plus(MARGIN));
                        assertThat(e.attempts()).isGreaterThan(1);
                        assertThat(e.getMessage()).doesNotContain(sessionId);
                    });
        }
        assertThat(listener.failed).hasSize(1);
    }

    @Test
    void abandonedLockIsFreedByItsTtl() {
        String sessionId = newSessionId();
        Duration ttl = Duration.ofMillis(500);
        Duration retryDelay = Duration.ofMillis(10);
        SessionLockProvider crashed =
                new SpinLockProvider(newStore(), settings().lockTtl(ttl).build());
        SessionLockProvider next = new SpinLockProvider(
                newStore(), settings().retryDelay(retryDelay).build());

        crashed.acquire(sessionId); // never released: the holder "crashed"
        long abandonedAt = System.nanoTime();
        try (SessionLock lock = next.acquire(sessionId)) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - abandonedAt);
            assertThat(elapsed)
                    .isBetween(ttl.minusMillis(100), ttl.plus(retryDelay).plus(MARGIN));
        }
    }

    @Test
    void anExtensionOfTheHeldLockCompletesTrueAndResetsItsTtl() {
        String sessionId = newSessionId();
        LockStore store = newStore();
        String key = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE).lockKey(sessionId);
        Duration ttl = Duration.ofSeconds(10);
        Duration aged = Duration.ofMillis(8500);
        SessionLockProvider provider =
                new SpinLockProvider(store, settings().lockTtl(ttl).build());

        try (SessionLock lock = provider.acquire(sessionId)) {
            await().atMost(ttl).until(() -> remainingTtl(store, key).compareTo(aged) <= 0);
            assertThat(lock.extend()).succeedsWithin(MARGIN).isEqualTo(SessionLock.Extension.EXTENDED);
            assertThat(remainingTtl(store, key)).as("a full TTL again").isGreaterThan(aged);
        }
    }

    @Test
    void anExtensionOfAnotherOwnersOrOfAnAbsentLockCompletesFalseAndChangesNothing() {
        String sessionId = newSessionId();
        LockStore store = newStore();
        LockKeys keys = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE);
        String key = keys.lockKey(sessionId);
        String absent = keys.lockKey(newSessionId());
        Duration timeout = Duration.ofSeconds(2);
        Duration ttl = Duration.ofSeconds(10);
        SessionLockProvider provider =
                new SpinLockProvider(store, settings().lockTtl(ttl).build());

        try (SessionLock lock = provider.acquire(sessionId)) {
            assertThat(store.extend(key, "f".repeat(32), Duration.ofMinutes(10), timeout))
                    .succeedsWithin(MARGIN)
                    .isEqualTo(false);
            assertThat(remainingTtl(store, key))
                    .as("not given the stranger's TTL")
                    .isLessThanOrEqualTo(ttl);
            assertThat(store.extend(absent, "f".repeat(32), Duration.ofMinutes(10), timeout))
                    .succeedsWithin(MARGIN)
                    .isEqualTo(false);
            assertThat(store.describe(absent, timeout)).as("not created").isNull();
            assertThat(lock.isHeld()).isTrue();
        }
    }

    private static Duration remainingTtl(LockStore store, String key) {
        LockStore.StoredLock stored = store.describe(key, Duration.ofSeconds(2));
        assertThat(stored).as("the lock at " + key).isNotNull();
        return stored.ttl();
    }

    @Test
    void foreignOrStaleTokenChangesNothing() {
        String sessionId = newSessionId();
        LockStore store = newStore();
        String key = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE).lockKey(sessionId);
        Duration timeout = Duration.ofSeconds(2);
        SessionLockProvider provider = new SpinLockProvider(store, settings().build());

        try (SessionLock lock = provider.acquire(sessionId)) {
            assertThat(store.release(key, "not-the-token", timeout, timeout)).isFalse();
            assertThat(store.extend(key, "not-the-token", Duration.ofMillis(1), timeout))
                    .succeedsWithin(timeout)
                    .isEqualTo(false);
            assertThat(store.isHeld(key, "not-the-token", timeout)).isFalse();
            assertThat(lock.isHeld()).isTrue();
        }
        assertThat(store.release(key, "not-the-token", timeout, timeout)).isFalse();
    }

    @Test
    void staleHolderCannotTouchTheNextHoldersLock() {
        String sessionId = newSessionId();
        RecordingListener listener = new RecordingListener();
        SessionLockProvider shortLived = new SpinLockProvider(
                newStore(), settings().lockTtl(Duration.ofMillis(200)).build(), listener);
        SessionLockProvider other = new SpinLockProvider(newStore(), settings().build());

        SessionLock stale = shortLived.acquire(sessionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> !stale.isHeld());
        try (SessionLock current = other.acquire(sessionId)) {
            assertThat(stale.extend()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(SessionLock.Extension.LOST);
            assertThat(stale.release()).isFalse();
            assertThat(current.isHeld()).as("the new holder keeps its lock").isTrue();
        }
        assertThat(listener.lost)
                .as("one loss, reported once, by the operation that found it")
                .extracting(SessionLockListener.Lost::during)
                .containsExactly(SessionLockListener.Operation.EXTEND);
        assertThat(listener.released).isEmpty();
    }

    @Test
    void releaseIsIdempotentAndFreesTheLockAtOnce() {
        String sessionId = newSessionId();
        RecordingListener listener = new RecordingListener();
        SessionLockProvider provider =
                new SpinLockProvider(newStore(), settings().build(), listener);

        SessionLock lock = provider.acquire(sessionId);
        assertThat(lock.release()).isTrue();
        assertThat(lock.release()).isTrue();
        lock.close();
        assertThat(lock.isHeld()).isFalse();
        assertThat(lock.extend()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(SessionLock.Extension.RELEASED);
        assertThat(listener.released).hasSize(1);

        try (SessionLock again = provider.acquire(sessionId)) {
            assertThat(again.isHeld()).isTrue();
        }
        assertThat(listener.acquired)
                .extracting(SessionLockListener.Acquired::attempts)
                .containsExactly(1, 1);
    }

    @Test
    void extendKeepsTheLockPastItsTtl() {
        String sessionId = newSessionId();
        Duration ttl = Duration.ofMillis(600);
        SessionLockProvider provider =
                new SpinLockProvider(newStore(), settings().lockTtl(ttl).build());
        SessionLockProvider other = new SpinLockProvider(
                newStore(), settings().timeout(Duration.ofMillis(50)).build());

        try (SessionLock lock = provider.acquire(sessionId)) {
            long deadline = System.nanoTime() + ttl.multipliedBy(3).toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(lock.extend())
                        .succeedsWithin(Duration.ofSeconds(5))
                        .isEqualTo(SessionLock.Extension.EXTENDED);
                await().pollDelay(ttl.dividedBy(4)).atMost(ttl).until(() -> true);
            }
            assertThat(lock.isHeld()).isTrue();
            assertThatThrownBy(() -> other.acquire(sessionId)).isInstanceOf(LockCouldNotBeAcquiredException.class);
        }
    }

    @Test
    void interruptedWaiterStopsPromptlyAndLeavesNoLock() throws Exception {
        String sessionId = newSessionId();
        SessionLockProvider holder = new SpinLockProvider(newStore(), settings().build());
        SessionLockProvider waiter = new SpinLockProvider(
                newStore(), settings().retryDelay(Duration.ofMillis(20)).build());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptFlag = new AtomicReference<>();

        try (SessionLock held = holder.acquire(sessionId)) {
            Thread thread = new Thread(() -> {
                try {
                    waiter.acquire(sessionId).release();
                } catch (Throwable e) {
                    failure.set(e);
                    interruptFlag.set(Thread.currentThread().isInterrupted());
                }
            });
            thread.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> waiter.waitingCount() == 1);
            long interruptedAt = System.nanoTime();
            thread.interrupt();
            thread.join(MARGIN.toMillis() * 2);
            assertThat(thread.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(MARGIN);
        }
        assertThat(failure.get())
                .isInstanceOfSatisfying(
                        LockCouldNotBeAcquiredException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED));
        assertThat(interruptFlag.get()).as("interrupt status restored").isTrue();
        assertThat(waiter.waitingCount()).isZero();

        RecordingListener listener = new RecordingListener();
        try (SessionLock lock = new SpinLockProvider(newStore(), settings().build(), listener).acquire(sessionId)) {
            assertThat(listener.acquired.get(0).attempts())
                    .as("no lock left behind")
                    .isEqualTo(1);
        }
    }

    @Test
    void tooManyWaitersFailAtOnce() throws Exception {
        String sessionId = newSessionId();
        SessionLockProvider holder = new SpinLockProvider(newStore(), settings().build());
        SessionLockProvider limited = new SpinLockProvider(
                newStore(),
                settings()
                        .maxWaitersPerSession(2)
                        .timeout(Duration.ofSeconds(20))
                        .build());
        ExecutorService executor = executor(2);

        SessionLock held = holder.acquire(sessionId);
        List<Future<Boolean>> waiting = List.of(
                executor.submit(() -> limited.acquire(sessionId).release()),
                executor.submit(() -> limited.acquire(sessionId).release()));
        await().atMost(Duration.ofSeconds(10)).until(() -> limited.waitingCount() == 2);

        assertThatThrownBy(() -> limited.acquire(sessionId))
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_WAITERS);
                    assertThat(e.attempts()).isZero();
                });
        assertThat(limited.acquire(newSessionId()).release())
                .as("other sessions are unaffected")
                .isTrue();

        held.release();
        for (Future<Boolean> future : waiting) {
            assertThat(future.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(limited.waitingCount()).isZero();
    }

    @Test
    void theSessionCapCountsTheWaitersOfEveryNode() throws Exception {
        String sessionId = newSessionId();
        // Polling, so that each node's first waiter reports its node's count at every retry delay.
        LockSettings.Builder capped =
                settings().wakeUp(LockSettings.WakeUp.POLL).maxWaitersPerSession(2);
        SessionLockProvider holder = new SpinLockProvider(newStore(), settings().build());
        SessionLockProvider nodeA = new SpinLockProvider(
                newStore(), capped.timeout(Duration.ofSeconds(30)).build());
        SessionLockProvider nodeB = new SpinLockProvider(
                newStore(), capped.timeout(Duration.ofMillis(500)).build());
        ExecutorService executor = executor(2);

        SessionLock held = holder.acquire(sessionId);
        List<Future<Boolean>> waitingOnA = List.of(
                executor.submit(() -> nodeA.acquire(sessionId).release()),
                executor.submit(() -> nodeA.acquire(sessionId).release()));
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeA.waitingCount() == 2);

        // Node B's first attempt learns of node A's two waiters and refuses its request (until A's report is current,
        // B's request may still be admitted and time out).
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThatThrownBy(() -> nodeB.acquire(sessionId))
                        .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                            assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_WAITERS);
                            assertThat(e.attempts()).isEqualTo(1);
                        }));
        assertThat(nodeB.waitingCount()).isZero();

        held.release();
        for (Future<Boolean> future : waitingOnA) {
            assertThat(future.get(30, TimeUnit.SECONDS)).isTrue();
        }
        try (SessionLock again = holder.acquire(sessionId)) {
            assertThatThrownBy(() -> nodeB.acquire(sessionId))
                    .as("node A's waiters took the lock, and their counts went with them")
                    .isInstanceOfSatisfying(
                            LockCouldNotBeAcquiredException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
        }
    }

    @Test
    void attemptsOnAHeldLockRecordTheirNodesCountAndAnswerTheOthers() throws Exception {
        String sessionId = newSessionId();
        String key = new LockKeys(LockSettings.DEFAULT_KEY_NAMESPACE).lockKey(sessionId);
        LockStore storeA = newStore();
        LockStore storeB = newStore();
        Duration timeout = Duration.ofSeconds(5);
        Duration ttl = Duration.ofSeconds(30);
        try (SessionLock held = new SpinLockProvider(newStore(), settings().build()).acquire(sessionId)) {
            assertThat(elsewhere(storeA.acquire(request(key, "owner-a", 3, Duration.ofSeconds(30)))))
                    .isZero();
            assertThat(elsewhere(storeB.acquire(request(key, "owner-b", 2, Duration.ofMillis(300)))))
                    .isEqualTo(3);
            assertThat(elsewhere(storeA.acquire(request(key, "owner-a", 4, Duration.ofSeconds(30)))))
                    .as("its own earlier count replaced, the other's added")
                    .isEqualTo(2);
            assertThat(elsewhere(storeB.acquire(request(key, "owner-b", 1, Duration.ofMillis(300)))))
                    .isEqualTo(4);
            await("a count lapses at its report's time-to-live")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> elsewhere(storeA.acquire(request(key, "owner-a", 4, Duration.ofSeconds(30)))) == 0);
            storeA.leave(key, "owner-a", ttl, timeout);
            await("a leave drops the count")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> elsewhere(storeB.acquire(request(key, "owner-b", 1, Duration.ofSeconds(30)))) == 0);
        }
        AttemptOutcome<Boolean> free = storeB.acquire(request(key, "owner-b", 1, Duration.ofSeconds(30)));
        assertThat(free).isInstanceOf(AttemptOutcome.Acquired.class);
        assertThat(storeB.acquire(request(key, "owner-b", 1, Duration.ofSeconds(30))))
                .as("an owner value that holds the lock takes it again (a resent command)")
                .isInstanceOf(AttemptOutcome.Acquired.class);
        assertThat(storeB.release(key, "owner-b", ttl, timeout)).isTrue();
    }

    private static AttemptRequest request(String key, String owner, int waiters, Duration reportTtl) {
        return new AttemptRequest(
                key,
                owner,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                AttemptRequest.Queueing.POLL,
                waiters,
                reportTtl);
    }

    private static int elsewhere(AttemptOutcome<Boolean> outcome) {
        assertThat(outcome).isInstanceOf(AttemptOutcome.Held.class);
        return ((AttemptOutcome.Held<Boolean>) outcome).waitingElsewhere();
    }

    @Test
    void theNodeCapRefusesRequestsThatWouldWaitButNeverOneWhoseLockIsFree() throws Exception {
        String first = newSessionId();
        String second = newSessionId();
        String third = newSessionId();
        SessionLockProvider holder = new SpinLockProvider(newStore(), settings().build());
        SessionLockProvider node =
                new SpinLockProvider(newStore(), settings().maxWaitersPerNode(2).build());
        ExecutorService executor = executor(2);
        List<SessionLock> held = List.of(holder.acquire(first), holder.acquire(second), holder.acquire(third));

        List<Future<Boolean>> waiting = List.of(
                executor.submit(() -> node.acquire(first).release()),
                executor.submit(() -> node.acquire(second).release()));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.waitingCount() == 2);

        assertThatThrownBy(() -> node.acquire(first))
                .as("a newcomer behind a waiter of its session: refused before any backend call")
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NODE_SATURATED);
                    assertThat(e.attempts()).isZero();
                });
        assertThatThrownBy(() -> node.acquire(third))
                .as("the first of its session: refused once its attempt found the lock held")
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NODE_SATURATED);
                    assertThat(e.attempts()).isEqualTo(1);
                });
        assertThat(node.acquire(newSessionId()).release())
                .as("a request whose lock is free never waits, so it is never refused")
                .isTrue();
        assertThat(node.waitingCount()).isEqualTo(2);

        held.forEach(SessionLock::release);
        for (Future<Boolean> future : waiting) {
            assertThat(future.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(node.waitingCount()).isZero();
        assertThat(node.acquire(third).release()).isTrue();
    }

    @Test
    void anAbandonedWaiterStopsWithinOneRetryDelayAndNeverTakesTheLock() throws Exception {
        String sessionId = newSessionId();
        Duration retryDelay = Duration.ofMillis(50);
        SessionLockProvider holder = new SpinLockProvider(newStore(), settings().build());
        SessionLockProvider waiter = new SpinLockProvider(
                newStore(), settings().retryDelay(retryDelay).build());
        AtomicBoolean clientGone = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        SessionLock held = holder.acquire(sessionId);
        Thread thread = new Thread(() -> {
            try {
                waiter.acquire(sessionId, "", clientGone::get).release();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.waitingCount() == 1);
        // Parked now (for a hand-off announcement where the backend has them): the abandonment cuts the pause short.
        await().pollDelay(retryDelay.multipliedBy(3))
                .atMost(Duration.ofSeconds(1))
                .until(() -> true);
        long goneAt = System.nanoTime();
        clientGone.set(true);
        held.release(); // may hand the lock to the waiter that is just giving up
        thread.join(MARGIN.plus(retryDelay).toMillis() * 2);
        assertThat(thread.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - goneAt)).isLessThan(retryDelay.plus(MARGIN));
        assertThat(failure.get())
                .isInstanceOfSatisfying(
                        LockCouldNotBeAcquiredException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ABANDONED));

        RecordingListener listener = new RecordingListener();
        SessionLockProvider next = new SpinLockProvider(newStore(), settings().build(), listener);
        long start = System.nanoTime();
        try (SessionLock lock = next.acquire(sessionId)) {
            assertThat(lock.isHeld()).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("the abandoned waiter left nothing behind: no lock handed to it, nothing to wait for")
                .isLessThan(MARGIN);
        assertThat(waiter.waitingCount()).isZero();
    }

    @Test
    void malformedSessionIdsAreRejectedBeforeAnyBackendCall() {
        SessionLockProvider provider =
                new SpinLockProvider(newStore(), settings().build());
        for (String bad : List.of("", "has space", "{tag}", "a".repeat(257), "line\nbreak")) {
            assertThatThrownBy(() -> provider.acquire(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Malformed session id");
        }
    }

    @Test
    void locksOfDifferentSessionsAreIndependent() {
        SessionLockProvider provider = new SpinLockProvider(
                newStore(), settings().timeout(Duration.ofMillis(50)).build());
        try (SessionLock first = provider.acquire(newSessionId());
                SessionLock second = provider.acquire(newSessionId())) {
            assertThat(first.isHeld()).isTrue();
            assertThat(second.isHeld()).isTrue();
        }
    }

    @Test
    void handleCanBeReleasedFromAnotherThread() throws Exception {
        String sessionId = newSessionId();
        SessionLockProvider provider =
                new SpinLockProvider(newStore(), settings().build());
        SessionLock lock = provider.acquire(sessionId);
        assertThat(CompletableFuture.supplyAsync(lock::release).get(10, TimeUnit.SECONDS))
                .isTrue();
        assertThat(provider.acquire(sessionId).release()).isTrue();
    }

    @Test
    void anyClientSeesWhoHoldsALockButNeverItsToken() {
        String sessionId = newSessionId();
        Duration ttl = Duration.ofSeconds(20);
        SessionLockProvider holder =
                new SpinLockProvider(newStore(), settings().lockTtl(ttl).build());
        SessionLockProvider operator =
                new SpinLockProvider(newStore(), settings().build());

        assertThat(operator.holder(sessionId)).isEmpty();
        try (SessionLock lock = holder.acquire(sessionId, "node=a;method=POST;path=/cart\n")) {
            assertThat(operator.holder(sessionId)).hasValueSatisfying(info -> {
                assertThat(info.holderInfo()).isEqualTo("node=a;method=POST;path=/cart?");
                assertThat(info.ttl()).isBetween(Duration.ofMillis(1), ttl);
            });
        }
        assertThat(operator.holder(sessionId)).isEmpty();
    }

    @Test
    void forceReleaseFreesAStuckLockAndTheHolderFindsItLost() {
        String sessionId = newSessionId();
        RecordingListener listener = new RecordingListener();
        SessionLockProvider stuck = new SpinLockProvider(newStore(), settings().build(), listener);
        SessionLockProvider operator =
                new SpinLockProvider(newStore(), settings().build());

        SessionLock lock = stuck.acquire(sessionId);
        assertThat(operator.forceRelease(sessionId)).isTrue();
        assertThat(operator.forceRelease(sessionId)).as("nothing left to free").isFalse();
        try (SessionLock next = operator.acquire(sessionId)) {
            assertThat(next.isHeld()).isTrue();
            assertThat(lock.release()).isFalse();
            assertThat(next.isHeld())
                    .as("the stale holder's release did not touch the new lock")
                    .isTrue();
        }
        assertThat(listener.lost).hasSize(1);
    }

    @Test
    void waitersOfOneJvmGetTheLockInArrivalOrderAndNewcomersQueueBehindThem() throws Exception {
        String sessionId = newSessionId();
        SessionLockProvider provider = new SpinLockProvider(
                newStore(), settings().retryDelay(Duration.ofMillis(10)).build());
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService executor = executor(3);
        List<Future<?>> waiters = new ArrayList<>();

        SessionLock holder = provider.acquire(sessionId);
        for (int i = 1; i <= 3; i++) {
            int number = i;
            waiters.add(executor.submit(() -> {
                try (SessionLock lock = provider.acquire(sessionId)) {
                    order.add(number);
                }
                return null;
            }));
            await().atMost(Duration.ofSeconds(10)).until(() -> provider.waitingCount() == number);
        }
        holder.release();
        try (SessionLock newcomer = provider.acquire(sessionId)) {
            order.add(4); // arrived last, so it must come last, although it asked right after the release
        }
        for (Future<?> waiter : waiters) {
            waiter.get(30, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly(1, 2, 3, 4);
    }

    /** Detects two holders inside the critical section at once, around a deliberately non-atomic counter. */
    static final class OverlapDetector {

        private final AtomicInteger inside = new AtomicInteger();
        private final AtomicInteger overlaps = new AtomicInteger();
        private volatile int counter;

        void criticalSection() {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            int read = counter;
            Thread.yield(); // widen the window in which an overlapping holder would lose an update
            counter = read + 1;
            inside.decrementAndGet();
        }

        int overlaps() {
            return overlaps.get();
        }

        int count() {
            return counter;
        }
    }
}
