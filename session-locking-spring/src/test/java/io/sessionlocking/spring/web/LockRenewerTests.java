package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.InvalidLockSettingsException;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.LockStoreException;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.memory.InMemoryLockStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog keeps a lock past its TTL while renewing, and stops at release or at the maximum request time; it skips
 * a lock whose extension is unanswered, and tells the owner once when an extension finds the lock lost or a failing
 * streak outlasts the TTL.
 */
class LockRenewerTests {

    private static final Duration TTL = Duration.ofMillis(300);
    private static final String SESSION = "7a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger lostCalls = new AtomicInteger();
    private final LockSettings settings = LockSettings.builder()
            .maxRequestTime(Duration.ofMillis(1500))
            .lockTtl(TTL)
            .commandTimeout(Duration.ofMillis(200))
            .retryDelay(Duration.ofMillis(5))
            .build();
    private final InMemoryLockStore memory = new InMemoryLockStore();
    private final SpinLockProvider provider = new SpinLockProvider(memory, settings, listener);
    private final LockRenewer renewer = new LockRenewer(settings);

    @AfterEach
    void close() {
        renewer.close();
    }

    @Test
    void renewalKeepsTheLockWellPastItsTtl() {
        SessionLock lock = provider.acquire(SESSION);
        LockRenewer.Renewal renewal = renewer.start(lock, loss -> lostCalls.incrementAndGet());

        await().pollDelay(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(4)).until(() -> true);
        assertThat(lock.isHeld()).as("held after 3 TTLs").isTrue();

        renewal.cancel();
        assertThat(lock.release()).isTrue();
        assertThat(listener.lost).isEmpty();
        assertThat(lostCalls).hasValue(0);
    }

    @Test
    void renewalStopsAtTheMaximumRequestTimeAndTheLockThenExpires() {
        SessionLock lock = provider.acquire(SESSION);
        renewer.start(lock, loss -> lostCalls.incrementAndGet());

        await().atMost(Duration.ofSeconds(10)).until(() -> !lock.isHeld());
        assertThat(lock.release()).as("released after it expired: lost").isFalse();
        assertThat(listener.lost).hasSize(1);
    }

    @Test
    void aCancelledRenewalLetsTheLockExpireAtItsTtl() {
        SessionLock lock = provider.acquire(SESSION);
        renewer.start(lock, loss -> lostCalls.incrementAndGet()).cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isHeld());
        assertThat(lostCalls).hasValue(0);
    }

    @Test
    void anExtensionThatFindsTheLockTakenTellsTheOwnerOnceAndStops() {
        AtomicInteger extensions = new AtomicInteger();
        LockStore taken = new ForwardingLockStore(memory) {
            @Override
            public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
                extensions.incrementAndGet();
                return CompletableFuture.completedFuture(false); // expired, or another token holds it
            }
        };
        SessionLock lock = new SpinLockProvider(taken, settings, listener).acquire(SESSION);
        renewer.start(lock, loss -> lostCalls.incrementAndGet());

        await().atMost(Duration.ofSeconds(5)).until(() -> lostCalls.get() == 1);
        await().pollDelay(TTL).atMost(TTL.multipliedBy(2)).until(() -> true);
        assertThat(lostCalls).as("told once").hasValue(1);
        assertThat(extensions)
                .as("no extension after the one that found it lost")
                .hasValue(1);
        assertThat(listener.lost)
                .extracting(SessionLockListener.Lost::during)
                .containsExactly(SessionLockListener.Operation.EXTEND);
    }

    @Test
    void aLockWhoseExtensionIsUnansweredIsSkippedNotQueued() {
        CopyOnWriteArrayList<CompletableFuture<Boolean>> sent = new CopyOnWriteArrayList<>();
        SessionLock lock = new SpinLockProvider(answeredByTheTest(sent), settings, listener).acquire(SESSION);
        renewer.start(lock, loss -> lostCalls.incrementAndGet());

        await().atMost(Duration.ofSeconds(5)).until(() -> renewer.skippedExtensions() >= 2);
        assertThat(sent).as("one extension in flight, none queued behind it").hasSize(1);

        sent.get(0).complete(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        sent.get(1).complete(true);
        assertThat(lostCalls).hasValue(0);
    }

    @Test
    void failingExtensionsAreRetriedAndPresumeTheLockLostOnceATtlPassedWithoutOne() {
        AtomicInteger attempts = new AtomicInteger();
        LockStore failing = new ForwardingLockStore(memory) {
            @Override
            public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
                attempts.incrementAndGet();
                return CompletableFuture.failedFuture(new LockStoreException("Redis did not answer"));
            }
        };
        SessionLock lock = new SpinLockProvider(failing, settings, listener).acquire(SESSION);
        long startedAt = System.nanoTime();
        List<SessionLock.Extension> losses = new CopyOnWriteArrayList<>();
        renewer.start(lock, losses::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> losses.size() == 1);
        assertThat(losses).as("presumed, not seen").containsExactly(SessionLock.Extension.PRESUMED_LOST);
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt))
                .as("presumed lost once a full TTL passed without a confirmed extension, not before")
                .isGreaterThanOrEqualTo(TTL);
        assertThat(attempts).as("retried at the ticks before").hasValueGreaterThanOrEqualTo(2);
        assertThat(listener.lost)
                .extracting(SessionLockListener.Lost::during)
                .containsExactly(SessionLockListener.Operation.EXTEND);
    }

    @Test
    void anExtensionAnsweredAfterTheLockWasReleasedIsNoLoss() {
        CopyOnWriteArrayList<CompletableFuture<Boolean>> sent = new CopyOnWriteArrayList<>();
        SessionLock lock = new SpinLockProvider(answeredByTheTest(sent), settings, listener).acquire(SESSION);
        List<SessionLock.Extension> losses = new CopyOnWriteArrayList<>();
        renewer.start(lock, losses::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);

        // A save releases the lock while the extension is on its way; the extension runs after it and finds the key
        // no longer this owner's.
        assertThat(lock.release()).isTrue();
        sent.get(0).complete(false);

        await().pollDelay(TTL).atMost(TTL.multipliedBy(2)).until(() -> true);
        assertThat(losses).as("a released lock is not a lost one").isEmpty();
        assertThat(listener.lost).isEmpty();
        assertThat(sent).as("no extension after the release").hasSize(1);
    }

    /** The in-memory store, whose extensions stay unanswered until the test completes them ({@code sent}). */
    private LockStore answeredByTheTest(List<CompletableFuture<Boolean>> sent) {
        return new ForwardingLockStore(memory) {
            @Override
            public CompletionStage<Boolean> extend(String key, String token, Duration ttl, Duration timeout) {
                CompletableFuture<Boolean> reply = new CompletableFuture<>();
                sent.add(reply);
                return reply;
            }
        };
    }

    @Test
    void settingsRenewalCannotKeepAreRefused() {
        LockSettings tooShort = LockSettings.builder()
                .lockTtl(Duration.ofMillis(600))
                .commandTimeout(Duration.ofMillis(500))
                .build();

        assertThatExceptionOfType(InvalidLockSettingsException.class)
                .isThrownBy(() -> new LockRenewer(tooShort))
                .satisfies(e -> {
                    assertThat(e.setting()).isEqualTo("lockTtl");
                    assertThat(e.allowedRange()).startsWith("[750ms, 24h], at least 1.5 x the command timeout");
                });
    }
}
