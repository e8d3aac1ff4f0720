package io.sessionlocking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import io.sessionlocking.memory.InMemoryLockStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The engine's timing and failure handling, on a manual clock: no test here sleeps. */
class SpinLockProviderTests {

    private static final String SESSION = "3f2a9c1e-7b4d-4e8a-9f21-0c5d6e7f8a9b";

    private final ManualClock clock = new ManualClock();
    private final InMemoryLockStore memory = new InMemoryLockStore(clock::nanoTime);
    private final RecordingListener listener = new RecordingListener();

    @Test
    void fixedDelayAttemptsUntilTheDeadlineAndNoLonger() {
        LockSettings settings = LockSettings.builder()
                .retryDelay(Duration.ofMillis(10))
                .timeout(Duration.ofMillis(95))
                .build();
        new SpinLockProvider(memory, settings, SessionLockListener.NONE, clock).acquire(SESSION);
        SpinLockProvider waiter = new SpinLockProvider(memory, settings, listener, clock);

        assertThatThrownBy(() -> waiter.acquire(SESSION))
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(e.waited()).isEqualTo(Duration.ofMillis(95));
                    // attempts at 0, 10, ..., 90 and a last one at the deadline
                    assertThat(e.attempts()).isEqualTo(11);
                });
        assertThat(clock.sleeps)
                .endsWith(Duration.ofMillis(10).toNanos(), Duration.ofMillis(5).toNanos());
        assertThat(listener.failed).hasSize(1);
    }

    @Test
    void acquiresAsSoonAsTheHolderReleases() {
        LockSettings settings = LockSettings.builder().build();
        SessionLock holder = new SpinLockProvider(memory, settings, SessionLockListener.NONE, clock).acquire(SESSION);
        clock.onSleep = () -> {
            if (clock.now >= Duration.ofMillis(30).toNanos()) {
                holder.release();
            }
        };
        SessionLock lock = new SpinLockProvider(memory, settings, listener, clock).acquire(SESSION);

        assertThat(lock.isHeld()).isTrue();
        assertThat(listener.acquired).singleElement().satisfies(e -> {
            assertThat(e.attempts()).isEqualTo(4);
            assertThat(e.waited()).isEqualTo(Duration.ofMillis(30));
            assertThat(e.maskedSessionId()).isEqualTo("3f2a****");
        });
    }

    @Test
    void backendFailuresAreRetriedWithFreshTokensAndReportedAsUnavailable() {
        FailingStore failing = new FailingStore();
        LockSettings settings = LockSettings.builder()
                .retryDelay(Duration.ofMillis(10))
                .timeout(Duration.ofMillis(30))
                .build();
        SpinLockProvider provider = new SpinLockProvider(failing, settings, listener, clock);

        assertThatThrownBy(() -> provider.acquire(SESSION))
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
                    assertThat(e.getCause()).isInstanceOf(LockStoreException.class);
                    assertThat(e.attempts()).isEqualTo(4);
                });
        assertThat(failing.tokens).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void aSlowLastReplyAfterTheLockWasSeenHeldIsATimeoutNotAnOutage() {
        new SpinLockProvider(memory, LockSettings.defaults(), SessionLockListener.NONE, clock).acquire(SESSION);
        LockSettings settings = LockSettings.builder()
                .retryDelay(Duration.ofMillis(10))
                .timeout(Duration.ofMillis(30))
                .build();
        LockStore slowAtTheEnd = new ForwardingLockStore(memory) {
            @Override
            public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
                if (clock.now >= Duration.ofMillis(30).toNanos()) {
                    throw new LockStoreException("Redis did not answer within 50 ms");
                }
                return super.acquire(request);
            }
        };

        assertThatThrownBy(() -> new SpinLockProvider(slowAtTheEnd, settings, listener, clock).acquire(SESSION))
                .isInstanceOfSatisfying(
                        LockCouldNotBeAcquiredException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    }

    @Test
    void backendCallsAreBoundedByTheTimeLeft() {
        FailingStore failing = new FailingStore();
        LockSettings settings = LockSettings.builder()
                .retryDelay(Duration.ofMillis(60))
                .timeout(Duration.ofMillis(200))
                .commandTimeout(Duration.ofSeconds(2))
                .build();
        assertThatThrownBy(() -> new SpinLockProvider(failing, settings, listener, clock).acquire(SESSION))
                .isInstanceOf(LockCouldNotBeAcquiredException.class);
        // The time left, but never less than 50 ms, so that the attempt at the deadline can still succeed.
        assertThat(failing.timeouts)
                .containsExactly(
                        Duration.ofMillis(200),
                        Duration.ofMillis(140),
                        Duration.ofMillis(80),
                        Duration.ofMillis(50),
                        Duration.ofMillis(50));
    }

    @Test
    void aFailingStreakEndsTheWaitOnceItHasLastedTheCommandTimeout() {
        FailingStore failing = new FailingStore();
        LockSettings settings = LockSettings.builder()
                .retryDelay(Duration.ofMillis(10))
                .commandTimeout(Duration.ofMillis(100))
                .build();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(24));
        SpinLockProvider provider = new SpinLockProvider(failing, settings, listener, clock);

        assertThatThrownBy(() -> provider.acquire(SESSION))
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
                    // attempts at 0, 10, ..., 100: the one at 100 ms ends a streak that began with the first
                    assertThat(e.waited()).isEqualTo(Duration.ofMillis(100));
                    assertThat(e.attempts()).isEqualTo(11);
                });
        // Each call is bounded by what is left of the streak's budget, at least 50 ms.
        assertThat(failing.timeouts)
                .startsWith(Duration.ofMillis(100), Duration.ofMillis(90), Duration.ofMillis(80))
                .endsWith(Duration.ofMillis(50), Duration.ofMillis(50));
    }

    @Test
    void aCallThatTimedOutHasUsedTheWholeBudget() {
        LockSettings settings =
                LockSettings.builder().commandTimeout(Duration.ofMillis(300)).build();
        LockStore hanging = new ForwardingLockStore(memory) {
            @Override
            public AttemptOutcome<Boolean> acquire(AttemptRequest request) {
                clock.now += request.timeout().toNanos();
                throw new LockStoreException("Redis did not answer within " + request.timeout());
            }
        };

        assertThatThrownBy(() -> new SpinLockProvider(hanging, settings, listener, clock).acquire(SESSION))
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.waited()).isEqualTo(Duration.ofMillis(300));
                });
    }

    @Test
    void anAbandonedWaiterGivesUpWithinOneRetryDelayAndLeavesItsCount() {
        new SpinLockProvider(memory, LockSettings.defaults(), SessionLockListener.NONE, clock).acquire(SESSION);
        LockSettings settings =
                LockSettings.builder().retryDelay(Duration.ofMillis(10)).build();
        List<String> left = new ArrayList<>();
        LockStore watched = new ForwardingLockStore(memory) {
            @Override
            public void leave(String key, String token, Duration ttl, Duration timeout) {
                left.add(token);
                super.leave(key, token, ttl, timeout);
            }
        };
        Abandonment clientGoneAt35ms = () -> clock.now >= Duration.ofMillis(35).toNanos();

        assertThatThrownBy(() ->
                        new SpinLockProvider(watched, settings, listener, clock).acquire(SESSION, "", clientGoneAt35ms))
                .isInstanceOfSatisfying(LockCouldNotBeAcquiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ABANDONED);
                    // Checked every half retry delay: found at 35 ms, not at the next attempt (40 ms).
                    assertThat(e.waited()).isEqualTo(Duration.ofMillis(35));
                    assertThat(e.attempts()).isEqualTo(4);
                });
        assertThat(left).as("its waiter count dropped").hasSize(1);
        assertThat(listener.failed)
                .singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.ABANDONED));
    }

    @Test
    void anAbandonmentToWatchCutsLongPausesIntoHalfRetryDelays() {
        new SpinLockProvider(memory, LockSettings.defaults(), SessionLockListener.NONE, clock).acquire(SESSION);
        LockSettings settings = LockSettings.builder()
                .retryDelay(Duration.ofMillis(10))
                .backoff(LockSettings.Backoff.EXPONENTIAL)
                .maxRetryDelay(Duration.ofSeconds(5))
                .build();
        Abandonment goneAt1s = () -> clock.now >= Duration.ofSeconds(1).toNanos();

        assertThatThrownBy(() -> new SpinLockProvider(memory, settings, listener, clock).acquire(SESSION, "", goneAt1s))
                .isInstanceOfSatisfying(
                        LockCouldNotBeAcquiredException.class,
                        e -> assertThat(e.waited()).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1005)));
        assertThat(clock.sleeps).allSatisfy(nanos -> assertThat(nanos).isLessThanOrEqualTo(5_000_000L));
    }

    @Test
    void recoversWhenTheBackendComesBack() {
        FailingStore flaky = new FailingStore();
        flaky.failuresLeft = 3;
        SpinLockProvider provider = new SpinLockProvider(flaky, LockSettings.defaults(), listener, clock);
        assertThat(provider.acquire(SESSION).isHeld()).isTrue();
        assertThat(listener.acquired.get(0).attempts()).isEqualTo(4);
    }

    @Test
    void aFailingListenerDoesNotBreakLocking() {
        SessionLockListener broken = new SessionLockListener() {
            @Override
            public void onAcquired(Acquired event) {
                throw new IllegalStateException("metrics down");
            }
        };
        SessionLock lock = new SpinLockProvider(memory, LockSettings.defaults(), broken, clock).acquire(SESSION);
        assertThat(lock.release()).isTrue();
    }

    @Test
    void releaseFailureIsReportedAndNeverThrown() {
        FailingStore failing = new FailingStore();
        failing.failuresLeft = 0;
        SessionLock lock = new SpinLockProvider(failing, LockSettings.defaults(), listener, clock).acquire(SESSION);
        failing.failuresLeft = Integer.MAX_VALUE;
        assertThat(lock.release()).isFalse();
        assertThat(listener.releaseFailures).hasSize(1);
    }

    @Test
    void heldTimeIsReportedAtRelease() {
        SessionLock lock = new SpinLockProvider(memory, LockSettings.defaults(), listener, clock).acquire(SESSION);
        clock.now += Duration.ofMillis(250).toNanos();
        lock.release();
        assertThat(listener.released)
                .singleElement()
                .satisfies(e -> assertThat(e.held()).isEqualTo(Duration.ofMillis(250)));
    }

    @Test
    void handleNeverPrintsTheTokenOrTheSessionId() {
        SessionLock lock = new SpinLockProvider(memory, LockSettings.defaults(), listener, clock).acquire(SESSION);
        assertThat(lock.toString()).isEqualTo("SessionLock[3f2a****]").doesNotContain(SESSION);
    }

    /** A monotonic clock moved only by the engine's own pauses. */
    static final class ManualClock implements LockClock {
        long now;
        final List<Long> sleeps = new ArrayList<>();
        Runnable onSleep = () -> {};

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            if (nanos <= 0) {
                return;
            }
            sleeps.add(nanos);
            now += nanos;
            onSleep.run();
        }
    }

    /** A store whose acquisitions, releases and extensions fail like an unreachable backend, a given number of times. */
    static final class FailingStore extends ForwardingLockStore {
        int failuresLeft = Integer.MAX_VALUE;
        final Set<String> tokens = new HashSet<>();
        final List<Duration> timeouts = new ArrayList<>();

        FailingStore() {
            super(new InMemoryLockStore());
        }

        private void maybeFail() {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new LockStoreException("Redis did not answer");
            }
        }

        @Override
        public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
            tokens.add(request.ownerValue());
            timeouts.add(request.timeout());
            maybeFail();
            return super.acquire(request);
        }

        @Override
        public boolean release(String key, String token, Duration ttl, Duration timeout) {
            maybeFail();
            return super.release(key, token, ttl, timeout);
        }

        @Override
        public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
            try {
                maybeFail();
            } catch (LockStoreException e) {
                return CompletableFuture.failedFuture(e);
            }
            return super.extend(key, token, ttl, timeout);
        }
    }
}
