package io.sessionlocking.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryLockStoreTests {

    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Duration NO_WAIT = Duration.ZERO;

    private final AtomicLong now = new AtomicLong();
    private final InMemoryLockStore store = new InMemoryLockStore(now::get);

    @Test
    void lockExpiresExactlyAtItsTtl() {
        assertThat(store.tryAcquire("k", "a", TTL, NO_WAIT)).isTrue();
        now.addAndGet(TTL.toNanos() - 1);
        assertThat(store.tryAcquire("k", "b", TTL, NO_WAIT)).isFalse();
        assertThat(store.isHeld("k", "a", NO_WAIT)).isTrue();
        now.addAndGet(1);
        assertThat(store.isHeld("k", "a", NO_WAIT)).isFalse();
        assertThat(store.tryAcquire("k", "b", TTL, NO_WAIT)).isTrue();
    }

    @Test
    void extendMovesTheExpiry() {
        store.tryAcquire("k", "a", TTL, NO_WAIT);
        now.addAndGet(TTL.toNanos() / 2);
        assertThat(store.extend("k", "a", TTL, NO_WAIT)).isTrue();
        now.addAndGet(TTL.toNanos() - 1);
        assertThat(store.isHeld("k", "a", NO_WAIT)).isTrue();
        assertThat(store.extend("k", "b", TTL, NO_WAIT)).isFalse();
    }

    @Test
    void expiredEntriesOfAbandonedKeysAreSwept() {
        for (int i = 0; i < InMemoryLockStore.SWEEP_EVERY - 1; i++) {
            store.tryAcquire("abandoned-" + i, "t", TTL, NO_WAIT);
        }
        now.addAndGet(TTL.toNanos());
        store.tryAcquire("fresh", "t", TTL, NO_WAIT);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void releaseOfAnExpiredLockReportsNothingDeleted() {
        store.tryAcquire("k", "a", TTL, NO_WAIT);
        now.addAndGet(TTL.toNanos());
        assertThat(store.release("k", "a", NO_WAIT, NO_WAIT)).isFalse();
    }
}
