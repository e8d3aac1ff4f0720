package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.spring.web.LockingIndexedSessionRepository;
import io.sessionlocking.spring.web.LockingSessionRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.SessionRepository;

/**
 * Wraps the application's {@link SessionRepository} bean, whichever configuration made it, in a locking decorator.
 * Wrapping the finished bean leaves Boot's back-off conditions and Spring Session's customizers untouched; an indexed
 * repository stays a {@link FindByIndexNameSessionRepository}, so the {@code sessions} endpoint keeps working.
 */
final class LockingSessionRepositoryPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<SessionLockProvider> provider;
    private final ObjectProvider<LockRenewer> renewer;
    private final ObjectProvider<SessionLockingProperties> properties;

    LockingSessionRepositoryPostProcessor(
            ObjectProvider<SessionLockProvider> provider,
            ObjectProvider<LockRenewer> renewer,
            ObjectProvider<SessionLockingProperties> properties) {
        this.provider = provider;
        this.renewer = renewer;
        this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof SessionRepository<?> repository) || bean instanceof LockingSessionRepository) {
            return bean;
        }
        var onTimeout = properties.getObject().getOnTimeout();
        if (repository instanceof FindByIndexNameSessionRepository<?> indexed) {
            return new LockingIndexedSessionRepository(
                    indexed, provider.getObject(), renewer.getIfAvailable(), onTimeout);
        }
        return new LockingSessionRepository(repository, provider.getObject(), renewer.getIfAvailable(), onTimeout);
    }
}
