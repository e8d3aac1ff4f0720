package io.sessionlocking.benchmarks.handoff;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.resource.ClientResources;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node running the engine: a Lettuce client of its own (so its own command and pub/sub connections, as a separate
 * JVM would have), its own provider (so its own local waiters), and a count of every command its client sends.
 */
final class EngineContender implements Contender {

    private final RedisClient client;
    private final LettuceLockStores.Managed store;
    private final SpinLockProvider provider;
    private final String sessionId;
    private final LongAdder sent = new LongAdder();
    private SessionLock held;

    EngineContender(ClientResources resources, String uri, LockSettings settings, String sessionId) {
        this.client = RedisClient.create(resources, RedisURI.create(uri));
        client.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                sent.increment();
            }
        });
        this.store = LettuceLockStores.connectWith(client);
        this.provider = new SpinLockProvider(store.store(), settings);
        this.sessionId = sessionId;
    }

    @Override
    public void lock() {
        held = provider.acquire(sessionId);
    }

    @Override
    public void unlock() {
        held.release();
    }

    @Override
    public long commandsSent() {
        return sent.sum();
    }

    @Override
    public void close() {
        store.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
