package io.sessionlocking.spring.redis;

import io.sessionlocking.core.AbstractSessionLockProviderContractTests;
import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.ForwardingLockStore;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The lock contract on the fused repository's lock, the field inside a session hash, with its queue and waiter counts
 * next to it: each "node" is a store on a connection factory of its own. The fused lock only locks existing sessions,
 * so each attempt first makes sure a session hash exists at the lock's key.
 */
class SessionHashLockStoreIntegrationTests extends AbstractSessionLockProviderContractTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @Override
    protected LockStore newStore() {
        LettuceConnectionFactory factory = FusedSessions.lettuce(redis.node().port());
        closeables.add(factory::destroy);
        SessionHashLockStore fused = (SessionHashLockStore)
                LockingRedisSessions.lockStore(factory, settings().build());
        closeables.add(fused);
        StringRedisTemplate template = new StringRedisTemplate(factory);
        return new ForwardingLockStore(fused) {
            @Override
            public AttemptOutcome<Boolean> acquire(AttemptRequest request) throws InterruptedException {
                template.opsForHash().putIfAbsent(request.key(), "creationTime", "0"); // a session to lock
                return super.acquire(request);
            }
        };
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        closeables.clear();
    }
}
