package io.sessionlocking.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.cache.EntryStore.Expiry;
import io.sessionlocking.cache.EntryStore.Read;
import io.sessionlocking.cache.EntryStore.ReadRequest;
import io.sessionlocking.cache.EntryStore.State;
import io.sessionlocking.cache.RegenerationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RegenerationGuard} on every {@link EntryStore}: single flight across nodes, stale serving,
 * failures, renewal, supersession, timeouts. Each backend's test extends this class and supplies stores; two stores
 * stand for two application nodes (for Redis: two connections).
 *
 * <p>Loaders block on latches, and the tests release them once every reader is known to wait (the guards' waiting
 * counts), so no outcome depends on timing; time bounds carry generous margins for a loaded two-core machine.
 */
public abstract class AbstractRegenerationGuardContractTests {

    /** Slack for scheduling delays on a loaded machine, added to every upper time bound. */
    protected static final Duration MARGIN = Duration.ofMillis(1500);

    protected static final Duration BOUND = Duration.ofSeconds(30);

    private final List<RegenerationGuards> nodes = new ArrayList<>();

    /** A store as one more application node would have it; the subclass closes it after the test. */
    protected abstract EntryStore newStore();

    protected RegenerationSettings.Builder settings() {
        return RegenerationSettings.builder()
                .ttl(Duration.ofMinutes(5))
                .waitTimeout(Duration.ofSeconds(20))
                .lockTtl(Duration.ofSeconds(10));
    }

    /** A node: guards on a store of its own. */
    protected RegenerationGuards node() {
        RegenerationGuards node = RegenerationGuards.builder(newStore()).build();
        nodes.add(node);
        return node;
    }

    protected static RegenerationGuard<String> guard(RegenerationGuards node, RegenerationSettings settings) {
        return node.guard("reports", settings, ValueCodec.utf8());
    }

    protected static byte[] newKey() {
        return ("reports::" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(RegenerationGuards::close);
    }

    @Test
    void aMissLoadsOnceAndLaterCallsHit() {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();
        AtomicInteger loads = new AtomicInteger();

        assertThat(guard.get(key, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1");
        assertThat(guard.get(key, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1");
        assertThat(guard.getIfFresh(key)).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void twoHundredReadersOnTwoNodesRunTheLoaderOnce() throws Exception {
        RegenerationSettings settings = settings().build();
        List<RegenerationGuard<String>> guards = List.of(guard(node(), settings), guard(node(), settings));
        byte[] key = newKey();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Loader<String> loader = () -> {
            loads.incrementAndGet();
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return "report";
        };

        Readers readers = Readers.start(200, i -> () -> guards.get(i % 2).get(key, Duration.ofMinutes(1), loader))
                .go();
        awaitWaiting(guards, 199);
        release.countDown();

        List<Readers.Result> results = readers.await(BOUND);
        assertThat(results).hasSize(200).allSatisfy(r -> assertThat(r.value()).isEqualTo("report"));
        assertThat(loads).hasValue(1);
    }

    @Test
    void withAStaleCopyEveryReaderGetsItAtOnceWhileOneRegenerates() throws Exception {
        RegenerationSettings settings =
                settings().staleWhileRevalidate(Duration.ofMinutes(1)).build();
        List<RegenerationGuard<String>> guards = List.of(guard(node(), settings), guard(node(), settings));
        byte[] key = newKey();
        guards.get(0).put(key, "old", Duration.ofMinutes(1));
        assertThat(guards.get(0).markStale(key)).isTrue();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Loader<String> loader = () -> {
            loads.incrementAndGet();
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return "new";
        };

        List<Readers.Result> results = Readers.start(
                        200, i -> () -> guards.get(i % 2).get(key, Duration.ofMinutes(1), loader))
                .go()
                .await(BOUND);

        // Every reader returned before the loader was even allowed to finish.
        assertThat(results).hasSize(200).allSatisfy(r -> assertThat(r.value()).isEqualTo("old"));
        assertThat(loads).hasValue(1);
        release.countDown();
        await().atMost(BOUND).until(() -> "new".equals(guards.get(1).getIfFresh(key)));
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFailingLoaderReleasesItsWaitersAtOnceAndTheNextCallerRetries() throws Exception {
        RegenerationSettings settings = settings().build();
        List<RegenerationGuard<String>> guards = List.of(guard(node(), settings), guard(node(), settings));
        byte[] key = newKey();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Loader<String> failing = () -> {
            loads.incrementAndGet();
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            throw new IllegalStateException("database down");
        };

        Readers readers = Readers.start(50, i -> () -> guards.get(i % 2).get(key, Duration.ofMinutes(1), failing))
                .go();
        awaitWaiting(guards, 49);
        long thrown = System.nanoTime();
        release.countDown();
        List<Readers.Result> results = readers.await(BOUND);
        Duration releasedWithin = Duration.ofNanos(System.nanoTime() - thrown);

        assertThat(results).allSatisfy(r -> assertThat(r.failed()).isTrue());
        assertThat(results)
                .filteredOn(r -> r.error() instanceof IllegalStateException)
                .hasSize(1);
        assertThat(results)
                .filteredOn(r -> r.error() instanceof RegenerationException e && e.reason() == Reason.FAILED)
                .hasSize(49);
        // Far below the 20 s wait timeout and the 10 s lock TTL: the waiters were told, not timed out.
        assertThat(releasedWithin).isLessThan(MARGIN);
        assertThat(loads).hasValue(1);

        assertThat(guards.get(1).get(key, Duration.ofMinutes(1), () -> "retried"))
                .isEqualTo("retried");
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFailingLoaderServesTheStaleIfErrorCopyToEveryone() throws Exception {
        RegenerationSettings settings =
                settings().staleIfError(Duration.ofMinutes(1)).build();
        List<RegenerationGuard<String>> guards = List.of(guard(node(), settings), guard(node(), settings));
        byte[] key = newKey();
        guards.get(0).put(key, "old", Duration.ofMinutes(1));
        guards.get(0).markStale(key);
        CountDownLatch release = new CountDownLatch(1);
        Loader<String> failing = () -> {
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            throw new IllegalStateException("database down");
        };

        Readers readers = Readers.start(20, i -> () -> guards.get(i % 2).get(key, Duration.ofMinutes(1), failing))
                .go();
        awaitWaiting(guards, 19);
        release.countDown();

        assertThat(readers.await(BOUND))
                .hasSize(20)
                .allSatisfy(r -> assertThat(r.value()).isEqualTo("old"));
    }

    @Test
    void anUnexpectedFailureOfAWaiterEndsItsFlightSoTheNextCallerIsNotStuckOnIt() throws Exception {
        RegenerationSettings settings = settings().build();
        RegenerationGuard<String> loading = guard(node(), settings);
        AtomicInteger reads = new AtomicInteger();
        RegenerationGuards failingNode = RegenerationGuards.builder(
                        new FailingReads(newStore(), () -> reads.incrementAndGet() == 2))
                .build();
        nodes.add(failingNode);
        RegenerationGuard<String> failing = guard(failingNode, settings);
        byte[] key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Readers loader = Readers.start(
                        1,
                        i -> () -> loading.get(key, Duration.ofMinutes(1), () -> {
                            running.countDown();
                            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                    .isTrue();
                            return "report";
                        }))
                .go();
        assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        // Its first read finds the load running (WAIT); its first poll fails with something unforeseen.
        assertThatThrownBy(() -> failing.get(key, Duration.ofMinutes(1), () -> "never"))
                .isInstanceOf(IllegalStateException.class);
        // The next caller of that node finds the load still running too: it must wait on a live flight of its own.
        Readers next = Readers.start(1, i -> () -> failing.get(key, Duration.ofMinutes(1), () -> "never"))
                .go();
        awaitWaiting(List.of(failing), 1);
        long released = System.nanoTime();
        release.countDown();
        assertThat(loader.await(BOUND).get(0).value()).isEqualTo("report");
        assertThat(next.await(BOUND).get(0).value()).isEqualTo("report");
        assertThat(Duration.ofNanos(System.nanoTime() - released))
                .as("woken by the fill, not left on the failed caller's flight until the wait timeout")
                .isLessThan(MARGIN);
    }

    /** A store whose reads throw an unexpected exception whenever {@code fails} says so. */
    private record FailingReads(EntryStore delegate, java.util.function.BooleanSupplier fails) implements EntryStore {

        @Override
        public Read read(byte[] key, ReadRequest request, Duration timeout) throws InterruptedException {
            if (fails.getAsBoolean()) {
                throw new IllegalStateException("an unforeseen failure of a read");
            }
            return delegate.read(key, request, timeout);
        }

        @Override
        public boolean fill(byte[] key, String token, byte[] value, Expiry expiry, Duration delta, Duration timeout) {
            return delegate.fill(key, token, value, expiry, delta, timeout);
        }

        @Override
        public void put(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
            delegate.put(key, value, expiry, timeout);
        }

        @Override
        public byte @Nullable [] putIfAbsent(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
            return delegate.putIfAbsent(key, value, expiry, timeout);
        }

        @Override
        public boolean fail(byte[] key, String token, Duration timeout) {
            return delegate.fail(key, token, timeout);
        }

        @Override
        public boolean release(byte[] key, String token, Duration timeout) {
            return delegate.release(key, token, timeout);
        }

        @Override
        public boolean extend(byte[] key, String token, Duration lockTtl, Duration timeout) {
            return delegate.extend(key, token, lockTtl, timeout);
        }

        @Override
        public boolean markStale(byte[] key, Expiry expiry, Duration timeout) {
            return delegate.markStale(key, expiry, timeout);
        }

        @Override
        public boolean evict(byte[] key, Duration timeout) {
            return delegate.evict(key, timeout);
        }

        @Override
        public Watch watch(byte[] key, Runnable onChange) {
            return delegate.watch(key, onChange);
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    @Test
    void aWaitEndsAtTheWaitTimeout() throws Exception {
        RegenerationSettings settings =
                settings().waitTimeout(Duration.ofMillis(300)).build();
        RegenerationGuard<String> guard = guard(node(), settings);
        RegenerationGuard<String> other = guard(node(), settings);
        byte[] key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Readers slow = Readers.start(
                        1,
                        i -> () -> guard.get(key, Duration.ofMinutes(1), () -> {
                            running.countDown();
                            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                    .isTrue();
                            return "late";
                        }))
                .go();
        assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        long started = System.nanoTime();
        assertThatThrownBy(() -> other.get(key, Duration.ofMinutes(1), () -> "never"))
                .isInstanceOfSatisfying(
                        RegenerationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(Duration.ofMillis(250))
                .isLessThan(Duration.ofMillis(300).plus(MARGIN));
        release.countDown();
        assertThat(slow.await(BOUND).get(0).value()).isEqualTo("late");
    }

    @Test
    void renewalKeepsTheLockOfALoaderSlowerThanTheTtl() throws Exception {
        // A 1 s TTL renewed every 333 ms: a stall of two thirds of a second on a loaded machine is still survived.
        RegenerationSettings settings = settings()
                .lockTtl(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .build();
        List<RegenerationGuard<String>> guards = List.of(guard(node(), settings), guard(node(), settings));
        byte[] key = newKey();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Loader<String> slow = () -> {
            loads.incrementAndGet();
            running.countDown();
            // Three and a half lock TTLs: without renewal a waiter would take the lock over and load again.
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return "slow";
        };
        Readers first = Readers.start(1, i -> () -> guards.get(0).get(key, Duration.ofMinutes(1), slow))
                .go();
        assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Readers others = Readers.start(10, i -> () -> guards.get(i % 2).get(key, Duration.ofMinutes(1), slow))
                .go();
        awaitWaiting(guards, 10);

        await().pollDelay(Duration.ofMillis(3500)).atMost(BOUND).until(() -> true);
        assertThat(loads).hasValue(1);
        release.countDown();

        assertThat(first.await(BOUND).get(0).value()).isEqualTo("slow");
        assertThat(others.await(BOUND)).allSatisfy(r -> assertThat(r.value()).isEqualTo("slow"));
        assertThat(loads).hasValue(1);
    }

    @Test
    void aHolderThatNeverComesBackFreesTheKeyWithinTheLockTtl() throws Exception {
        RegenerationSettings settings = settings()
                .lockTtl(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(20))
                .build();
        RegenerationGuard<String> guard = guard(node(), settings);
        byte[] key = newKey();
        // A "node" that takes the lock and dies: no renewal, no release.
        EntryStore dead = newStore();
        assertThat(dead.read(key, new ReadRequest("dead", Duration.ofMillis(500), 0, 0, true), BOUND)
                        .state())
                .isEqualTo(State.LOAD);

        long started = System.nanoTime();
        assertThat(guard.get(key, Duration.ofMinutes(1), () -> "taken over")).isEqualTo("taken over");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofMillis(500).plus(MARGIN));
    }

    @Test
    void aPutDuringARegenerationSupersedesIt() throws Exception {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Readers loading = Readers.start(
                        1,
                        i -> () -> guard.get(key, Duration.ofMinutes(1), () -> {
                            running.countDown();
                            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                    .isTrue();
                            return "loaded before the put";
                        }))
                .go();
        assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        guard.put(key, "put", Duration.ofMinutes(1));
        release.countDown();

        assertThat(loading.await(BOUND).get(0).value()).isEqualTo("loaded before the put");
        assertThat(guard.getIfFresh(key)).isEqualTo("put");
    }

    @Test
    void anEvictDuringARegenerationIsNotOverwrittenByIt() throws Exception {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Readers loading = Readers.start(
                        1,
                        i -> () -> guard.get(key, Duration.ofMinutes(1), () -> {
                            running.countDown();
                            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                    .isTrue();
                            return "computed from data the evict invalidated";
                        }))
                .go();
        assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThat(guard.evict(key)).isTrue();
        release.countDown();

        assertThat(loading.await(BOUND).get(0).value()).isEqualTo("computed from data the evict invalidated");
        assertThat(guard.getIfFresh(key)).isNull();
    }

    @Test
    void earlyRefreshRegeneratesAFreshValueInTheBackgroundOnce() throws Exception {
        // beta 100 and a measured delta of about 50 ms: every draw before the last ~5 s says "refresh now".
        RegenerationSettings settings =
                settings().earlyRefresh(true).earlyRefreshBeta(100).build();
        RegenerationGuard<String> guard = guard(node(), settings);
        byte[] key = newKey();
        CountDownLatch measured = new CountDownLatch(1);
        assertThat(guard.get(key, Duration.ofSeconds(2), () -> {
                    measured.await(50, TimeUnit.MILLISECONDS);
                    return "v1";
                }))
                .isEqualTo("v1");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);

        List<Readers.Result> results = Readers.start(
                        20,
                        i -> () -> guard.get(key, Duration.ofMinutes(1), () -> {
                            loads.incrementAndGet();
                            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                                    .isTrue();
                            return "v2";
                        }))
                .go()
                .await(BOUND);

        assertThat(results).allSatisfy(r -> assertThat(r.value()).isEqualTo("v1"));
        release.countDown();
        await().atMost(BOUND).until(() -> "v2".equals(guard.getIfFresh(key)));
        assertThat(loads).hasValue(1);
    }

    @Test
    void putIfAbsentKeepsAFreshValue() {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();

        assertThat(guard.putIfAbsent(key, "first", Duration.ofMinutes(1))).isNull();
        assertThat(guard.putIfAbsent(key, "second", Duration.ofMinutes(1))).isEqualTo("first");
        assertThat(guard.getIfFresh(key)).isEqualTo("first");
    }

    @Test
    void aValueWithoutTtlStaysFresh() {
        RegenerationGuard<String> guard = guard(node(), settings().build());
        byte[] key = newKey();

        assertThat(guard.get(key, Duration.ZERO, () -> "forever")).isEqualTo("forever");
        assertThat(guard.get(key, Duration.ZERO, () -> "again")).isEqualTo("forever");
    }

    @Test
    void withoutStaleWindowsAStaleValueIsLoadedAgainByOneCaller() throws Exception {
        RegenerationSettings settings = settings().build();
        List<RegenerationGuard<String>> guards = List.of(guard(node(), settings), guard(node(), settings));
        byte[] key = newKey();
        guards.get(0).put(key, "old", Duration.ofMinutes(1));
        guards.get(0).markStale(key);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Loader<String> loader = () -> {
            loads.incrementAndGet();
            assertThat(release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            return "new";
        };

        Readers readers = Readers.start(40, i -> () -> guards.get(i % 2).get(key, Duration.ofMinutes(1), loader))
                .go();
        awaitWaiting(guards, 39);
        release.countDown();

        assertThat(readers.await(BOUND)).allSatisfy(r -> assertThat(r.value()).isEqualTo("new"));
        assertThat(loads).hasValue(1);
    }

    /** Waits until {@code count} callers of the guards wait for another caller's regeneration. */
    protected static void awaitWaiting(List<RegenerationGuard<String>> guards, int count) {
        await().atMost(BOUND)
                .until(() -> guards.stream()
                                .mapToInt(RegenerationGuard::waitingCount)
                                .sum()
                        == count);
    }
}
