package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.memory.InMemoryLockStore;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

/** An in-memory session repository and lock provider with a short timeout, for the web layer's unit tests. */
final class InMemorySessions {

    final MapSessionRepository sessions = new MapSessionRepository(new ConcurrentHashMap<>());
    final RecordingListener listener = new RecordingListener();
    final SpinLockProvider provider = new SpinLockProvider(
            new InMemoryLockStore(),
            LockSettings.builder()
                    .timeout(Duration.ofMillis(50))
                    .retryDelay(Duration.ofMillis(5))
                    .build(),
            listener);

    /** Stores a new session with one attribute; returns its id. */
    String store(String attribute, Object value) {
        MapSession session = new MapSession();
        session.setAttribute(attribute, value);
        sessions.save(session);
        return session.getId();
    }
}
