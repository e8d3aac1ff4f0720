package io.sessionlocking.spring.web;

import io.sessionlocking.core.SessionLockProvider;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * {@link LockingSessionRepository} for a repository that can find sessions by index (e.g. {@code
 * RedisIndexedSessionRepository}), so that Spring Security's concurrent-session control and Boot's {@code sessions}
 * endpoint keep working. Index look-ups take no lock: they serve administration, not a user's request.
 */
public class LockingIndexedSessionRepository extends LockingSessionRepository
        implements FindByIndexNameSessionRepository<Session> {

    private final FindByIndexNameSessionRepository<Session> indexed;

    @SuppressWarnings("unchecked")
    public LockingIndexedSessionRepository(
            FindByIndexNameSessionRepository<? extends Session> delegate,
            SessionLockProvider provider,
            @Nullable LockRenewer renewer,
            OnTimeout onTimeout) {
        super(delegate, provider, renewer, onTimeout);
        this.indexed = (FindByIndexNameSessionRepository<Session>) delegate;
    }

    @Override
    public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
        return indexed.findByIndexNameAndIndexValue(indexName, indexValue);
    }

    @Override
    public Map<String, Session> findByPrincipalName(String principalName) {
        return indexed.findByPrincipalName(principalName);
    }
}
