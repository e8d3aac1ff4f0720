package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandTimeoutException;
import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockStoreException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/** Which failures are the session store's, what their message shows, and that a request fails its store once. */
class SessionStoreFailuresTests {

    private static final String SESSION_KEY = "spring:session:sessions:3f2c9a1e-77aa-4c1b-9d0e-5b6a7c8d9e0f";

    @AfterEach
    void unbind() {
        RequestSessionLock.restore(null);
    }

    @Test
    void springDataLettuceAndLockStoreFailuresBecomeSessionStoreUnavailable() {
        for (RuntimeException failure : new RuntimeException[] {
            new QueryTimeoutException("Redis command timed out on " + SESSION_KEY),
            new RedisConnectionFailureException("Unable to connect"),
            new RedisCommandTimeoutException("Command timed out after 2 second(s)"),
            new LockStoreException("Redis failed a session lock command")
        }) {
            RuntimeException translated = SessionStoreFailures.translate(failure);

            assertThat(translated).isInstanceOf(SessionStoreUnavailableException.class);
            assertThat(translated.getCause()).isSameAs(failure);
            assertThat(translated.getMessage())
                    .startsWith(
                            "The session store failed: " + failure.getClass().getSimpleName())
                    .as("no store message: it may name a key, and a key names a session")
                    .doesNotContain(SESSION_KEY);
        }
    }

    @Test
    void otherFailuresPassUnchanged() {
        IllegalStateException invalidated = new IllegalStateException("Session was invalidated");
        LockCouldNotBeAcquiredException lockFailure = new LockCouldNotBeAcquiredException(
                LockCouldNotBeAcquiredException.Reason.BACKEND_UNAVAILABLE, Duration.ofSeconds(2), 1, "3f2c****", null);

        assertThat(SessionStoreFailures.translate(invalidated)).isSameAs(invalidated);
        assertThat(SessionStoreFailures.translate(lockFailure)).isSameAs(lockFailure);
    }

    @Test
    void aRequestWhoseStoreFailedDoesNotCallItAgain() {
        RequestSessionLock.bind(new RequestSessionLock(SessionLockPolicy.defaults(), null, "GET", "/cart", null));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> SessionStoreFailures.call(() -> {
                    calls.incrementAndGet();
                    throw new QueryTimeoutException("Redis command timed out");
                }))
                .isInstanceOf(SessionStoreUnavailableException.class);
        assertThatThrownBy(() -> SessionStoreFailures.run(calls::incrementAndGet))
                .isInstanceOf(SessionStoreUnavailableException.class)
                .hasMessageContaining("QueryTimeoutException")
                .hasMessageContaining("not tried again");

        assertThat(calls).hasValue(1);
    }

    @Test
    void outsideARequestEveryCallIsMade() {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> SessionStoreFailures.run(() -> {
                        calls.incrementAndGet();
                        throw new QueryTimeoutException("Redis command timed out");
                    }))
                    .isInstanceOf(SessionStoreUnavailableException.class);
        }
        assertThat(calls).hasValue(2);
    }
}
