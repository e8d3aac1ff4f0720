package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.web.OnLostLock;
import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockLostException;
import io.sessionlocking.spring.web.SessionLockPolicy;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fencing: a request whose lock expired (no renewal) and was taken by another request that wrote, then saves; its
 * write is refused every time, over many rounds, with both {@code on-lost-lock} outcomes.
 */
class FencedWriteIntegrationTests {

    private static final int ROUNDS = 40;

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final ExecutorService otherRequests = Executors.newSingleThreadExecutor();
    private FusedSessions fixture;
    private LockingRedisSessionRepository repository;

    @BeforeEach
    void start() {
        redis.node().flushAll();
        fixture = new FusedSessions(
                redis.node().port(),
                LockSettings.builder()
                        .lockTtl(Duration.ofMillis(100)) // the shortest TTL allowed
                        .retryDelay(Duration.ofMillis(2))
                        .timeout(Duration.ofSeconds(5))
                        .build());
        repository = fixture.repository;
    }

    @AfterEach
    void stop() throws Exception {
        RequestSessionLock.restore(null);
        otherRequests.shutdownNow();
        fixture.close();
    }

    @Test
    void aStaleHoldersSaveIsRefusedAndFailsTheRequest() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = storedSession();
            RequestSessionLock stale = bind(OnLostLock.FAIL);
            LockingRedisSession staleCopy = repository.findById(id);

            takeOverAndWrite(id);

            staleCopy.setAttribute("counter", 99);
            assertThatThrownBy(() -> repository.save(staleCopy))
                    .as("round %d", round)
                    .isInstanceOf(SessionLockLostException.class);
            assertThat(stale.state()).isEqualTo(RequestSessionLock.State.LOST);
            stale.end();
            assertThat(counter(id))
                    .as("round %d: the newer write stands", round)
                    .isEqualTo(1);
        }
        assertThat(fixture.listener.lost).hasSize(ROUNDS);
    }

    @Test
    void aStaleHoldersSaveIsDroppedAndTheRequestGoesOn() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = storedSession();
            RequestSessionLock stale = bind(OnLostLock.DISCARD);
            LockingRedisSession staleCopy = repository.findById(id);

            takeOverAndWrite(id);

            staleCopy.setAttribute("counter", 99);
            repository.save(staleCopy);
            assertThat(stale.state()).as("round %d", round).isEqualTo(RequestSessionLock.State.LOST);
            stale.end();
            assertThat(counter(id))
                    .as("round %d: the newer write stands", round)
                    .isEqualTo(1);
        }
        assertThat(fixture.listener.lost).hasSize(ROUNDS);
    }

    /** Another request, on another thread: waits for the stale lock to expire, takes it, writes counter = 1. */
    private void takeOverAndWrite(String id) throws Exception {
        otherRequests
                .submit(() -> {
                    RequestSessionLock other = bind(OnLostLock.FAIL);
                    try {
                        LockingRedisSession session = repository.findById(id);
                        session.setAttribute("counter", 1);
                        repository.save(session);
                    } finally {
                        other.end();
                        RequestSessionLock.restore(null);
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    private String storedSession() {
        LockingRedisSession session = repository.createSession();
        session.setAttribute("counter", 0);
        repository.save(session);
        return session.getId();
    }

    private int counter(String id) {
        RequestSessionLock.restore(null);
        return repository.findById(id).<Integer>getAttribute("counter");
    }

    private static RequestSessionLock bind(OnLostLock onLostLock) {
        RequestSessionLock request = new RequestSessionLock(
                SessionLockPolicy.builder().onLostLock(onLostLock).build(), null, "POST", "/cart", null);
        RequestSessionLock.bind(request);
        return request;
    }
}
