package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.memory.InMemoryLockStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog keeps a lock past its TTL while renewing, and stops at release or at the maximum request time. */
class LockRenewerTests {

    private static final Duration TTL = Duration.ofMillis(300);
    private static final String SESSION = "7a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

    private final RecordingListener listener = new RecordingListener();
    private final LockSettings settings = LockSettings.builder()
            .maxRequestTime(Duration.ofMillis(1500))
            .lockTtl(TTL)
            .retryDelay(Duration.ofMillis(5))
            .build();
    private final SpinLockProvider provider = new SpinLockProvider(new InMemoryLockStore(), settings, listener);
    private final LockRenewer renewer = new LockRenewer(settings);

    @AfterEach
    void close() {
        renewer.close();
    }

    @Test
    void renewalKeepsTheLockWellPastItsTtl() {
        SessionLock lock = provider.acquire(SESSION);
        LockRenewer.Renewal renewal = renewer.start(lock);

        await().pollDelay(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(4)).until(() -> true);
        assertThat(lock.isHeld()).as("held after 3 TTLs").isTrue();

        renewal.cancel();
        assertThat(lock.release()).isTrue();
        assertThat(listener.lost).isEmpty();
    }

    @Test
    void renewalStopsAtTheMaximumRequestTimeAndTheLockThenExpires() {
        SessionLock lock = provider.acquire(SESSION);
        renewer.start(lock);

        await().atMost(Duration.ofSeconds(10)).until(() -> !lock.isHeld());
        assertThat(lock.release()).as("released after it expired: lost").isFalse();
        assertThat(listener.lost).hasSize(1);
    }

    @Test
    void aCancelledRenewalLetsTheLockExpireAtItsTtl() {
        SessionLock lock = provider.acquire(SESSION);
        renewer.start(lock).cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isHeld());
    }
}
