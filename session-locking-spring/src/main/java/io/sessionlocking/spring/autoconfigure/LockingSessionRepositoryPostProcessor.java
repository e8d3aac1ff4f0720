package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.web.LockingSessionRepository;
import io.sessionlocking.spring.web.SessionLockingRepository;
import io.sessionlocking.spring.web.SessionStoreFailures;
import java.lang.reflect.Modifier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Makes the application's {@link SessionRepository} bean lock its sessions, whichever configuration made it.
 *
 * <p>The bean is proxied, not replaced: a class-based proxy keeps its concrete type, because Spring Session itself
 * injects some repositories by class (the indexed Redis configuration wires {@code RedisIndexedSessionRepository}
 * into its message listener), and keeps every interface, so {@code FindByIndexNameSessionRepository} and Boot's
 * {@code sessions} endpoint keep working. The proxy routes {@code findById} and {@code save} through a {@link
 * LockingSessionRepository} around the original bean (and {@code deleteById}, for its failures); every other method
 * goes straight to it. Boot's back-off
 * conditions and Spring Session's customizers are untouched.
 */
final class LockingSessionRepositoryPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<SessionLockProvider> provider;

    LockingSessionRepositoryPostProcessor(ObjectProvider<SessionLockProvider> provider) {
        this.provider = provider;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof SessionRepository<?> repository) || bean instanceof SessionLockingRepository) {
            return bean;
        }
        LockingSessionRepository locking = new LockingSessionRepository(repository, provider.getObject());
        ProxyFactory factory = new ProxyFactory(bean);
        factory.setProxyTargetClass(!Modifier.isFinal(bean.getClass().getModifiers()));
        factory.addInterface(SessionLockingRepository.class);
        factory.addAdvice(new LockingInterceptor(locking));
        return factory.getProxy(bean.getClass().getClassLoader());
    }

    /**
     * Sends {@code findById}, {@code save} and {@code deleteById} through the locking repository; the store failures of
     * every other method (e.g. {@code findByIndexNameAndIndexValue}) become {@code SessionStoreUnavailableException}
     * too.
     */
    private static final class LockingInterceptor implements MethodInterceptor {

        private final LockingSessionRepository locking;

        LockingInterceptor(LockingSessionRepository locking) {
            this.locking = locking;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            Object[] arguments = invocation.getArguments();
            if (arguments.length == 1) {
                String name = invocation.getMethod().getName();
                if (name.equals("findById") && arguments[0] instanceof String id) {
                    return locking.findById(id);
                }
                if (name.equals("save") && arguments[0] instanceof Session session) {
                    locking.save(session);
                    return null;
                }
                if (name.equals("deleteById") && arguments[0] instanceof String id) {
                    locking.deleteById(id);
                    return null;
                }
            }
            try {
                return invocation.proceed();
            } catch (RuntimeException e) {
                throw SessionStoreFailures.translate(e);
            }
        }
    }
}
