package io.sessionlocking.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.LockStore.StoredLock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryLockStoreTests {

    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Duration NO_WAIT = Duration.ZERO;

    private final AtomicLong now = new AtomicLong();
    private final InMemoryLockStore store = new InMemoryLockStore(now::get);

    private boolean take(String key, String token, Duration ttl, Duration timeout) {
        return store.acquire(AttemptRequest.alone(key, token, ttl, timeout))
                instanceof AttemptOutcome.Acquired<Boolean>;
    }

    @Test
    void lockExpiresExactlyAtItsTtl() {
        assertThat(take("k", "a", TTL, NO_WAIT)).isTrue();
        now.addAndGet(TTL.toNanos() - 1);
        assertThat(take("k", "b", TTL, NO_WAIT)).isFalse();
        assertThat(store.isHeld("k", "a", NO_WAIT)).isTrue();
        now.addAndGet(1);
        assertThat(store.isHeld("k", "a", NO_WAIT)).isFalse();
        assertThat(take("k", "b", TTL, NO_WAIT)).isTrue();
    }

    @Test
    void extendMovesTheExpiry() {
        take("k", "a", TTL, NO_WAIT);
        now.addAndGet(TTL.toNanos() / 2);
        assertThat(store.extend("k", "a", TTL, NO_WAIT)).isCompletedWithValue(true);
        now.addAndGet(TTL.toNanos() - 1);
        assertThat(store.isHeld("k", "a", NO_WAIT)).isTrue();
        assertThat(store.extend("k", "b", TTL, NO_WAIT)).isCompletedWithValue(false);
    }

    @Test
    void expiredEntriesOfAbandonedKeysAreSwept() {
        for (int i = 0; i < InMemoryLockStore.SWEEP_EVERY - 1; i++) {
            take("abandoned-" + i, "t", TTL, NO_WAIT);
        }
        now.addAndGet(TTL.toNanos());
        take("fresh", "t", TTL, NO_WAIT);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void anAttemptOnAHeldLockCountsTheOtherTokensWaitersUntilTheirReportsExpire() {
        take("k", "holder", TTL.multipliedBy(10), NO_WAIT);
        AttemptRequest nodeA = new AttemptRequest("k", "a", TTL, NO_WAIT, AttemptRequest.Queueing.POLL, 3, TTL);
        AttemptRequest nodeB = new AttemptRequest("k", "b", TTL, NO_WAIT, AttemptRequest.Queueing.POLL, 2, TTL);
        assertThat(store.acquire(nodeA))
                .isEqualTo(AttemptOutcome.held(new StoredLock("holder", TTL.multipliedBy(10)), 0));
        assertThat(((AttemptOutcome.Held<Boolean>) store.acquire(nodeB)).waitingElsewhere())
                .isEqualTo(3);
        assertThat(((AttemptOutcome.Held<Boolean>) store.acquire(nodeA)).waitingElsewhere())
                .as("its own count is not counted, the other one is")
                .isEqualTo(2);
        store.leave("k", "b", TTL, NO_WAIT);
        assertThat(((AttemptOutcome.Held<Boolean>) store.acquire(nodeA)).waitingElsewhere())
                .as("a leave drops the count")
                .isZero();
        store.acquire(nodeB);
        now.addAndGet(TTL.toNanos());
        assertThat(((AttemptOutcome.Held<Boolean>) store.acquire(nodeA)).waitingElsewhere())
                .as("an expired report counts no more")
                .isZero();
    }

    @Test
    void anAttemptThatAlreadyHoldsTheLockTakesItAgain() {
        assertThat(take("k", "a", TTL, NO_WAIT)).isTrue();
        assertThat(take("k", "a", TTL, NO_WAIT)).isTrue();
        assertThat(take("k", "b", TTL, NO_WAIT)).isFalse();
    }

    @Test
    void releaseOfAnExpiredLockReportsNothingDeleted() {
        take("k", "a", TTL, NO_WAIT);
        now.addAndGet(TTL.toNanos());
        assertThat(store.release("k", "a", NO_WAIT, NO_WAIT)).isFalse();
    }
}
