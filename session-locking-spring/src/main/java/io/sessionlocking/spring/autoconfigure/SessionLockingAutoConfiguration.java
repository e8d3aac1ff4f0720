package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.memory.InMemoryLockStore;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.redisson.RedissonLockStore;
import io.sessionlocking.spring.actuate.SessionLockStatistics;
import io.sessionlocking.spring.redis.LockingRedisSessionRepository;
import io.sessionlocking.spring.web.LockFailureResponse;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.spring.web.LockWaitObserver;
import io.sessionlocking.spring.web.NodeNames;
import io.sessionlocking.spring.web.RequestRulesDecider;
import io.sessionlocking.spring.web.SessionLockActivity;
import io.sessionlocking.spring.web.SessionLockDecider;
import io.sessionlocking.spring.web.SessionLockFilter;
import io.sessionlocking.spring.web.SessionLockPolicy;
import io.sessionlocking.spring.web.tomcat.ClientConnectionValve;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Locks Spring Session's sessions per request. With {@code session-locking.handler=locking} (the default) it wraps the
 * application's {@link SessionRepository} bean in a locking decorator and registers {@link SessionLockFilter} just
 * outside {@link SessionRepositoryFilter}; with {@code non-locking} it adds nothing to the request path.
 *
 * <p>The lock backend is the first that applies of: the application's {@code RedissonClient}, its Lettuce connection
 * factory (a dedicated connection on the same client), or this JVM's memory; {@code session-locking.backend} picks one
 * explicitly.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
            "org.redisson.spring.starter.RedissonAutoConfigurationV4"
        },
        beforeName = "org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration")
@ConditionalOnClass(SessionRepository.class)
@ConditionalOnProperty(prefix = "session-locking", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SessionLockingProperties.class)
@Import({
    SessionLockingAutoConfiguration.RedissonBackendConfiguration.class,
    SessionLockingAutoConfiguration.LettuceBackendConfiguration.class,
    SessionLockingAutoConfiguration.MemoryBackendConfiguration.class,
    SessionLockingAutoConfiguration.LockingHandlerConfiguration.class,
    SessionLockingAutoConfiguration.TomcatClientConnectionConfiguration.class
})
public final class SessionLockingAutoConfiguration {

    private static final Log logger = LogFactory.getLog(SessionLockingAutoConfiguration.class);

    static final String PREFIX = "session-locking";

    @Bean
    @ConditionalOnMissingBean
    LockSettings sessionLockSettings(
            SessionLockingProperties properties, BeanFactory beanFactory, Environment environment) {
        return properties.toLockSettings(ServerWorkerThreads.of(beanFactory, environment));
    }

    /**
     * Tomcat tells a request's lock wait that its client went away ({@link ClientConnectionValve}), so that the wait
     * ends within a retry delay instead of holding a worker until its timeout.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {"org.apache.catalina.Valve", "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory"})
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnLockingHandler
    static class TomcatClientConnectionConfiguration {

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> sessionLockClientConnections() {
            return factory -> factory.addEngineValves(new ClientConnectionValve());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.redisson.api.RedissonClient")
    @Conditional(BackendSelection.OnRedisson.class)
    @ConditionalOnLockingHandler
    static class RedissonBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockStore.class)
        LockStore sessionLockStore(RedissonClient redisson) {
            return new RedissonLockStore(redisson);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({LettuceConnectionFactory.class, io.lettuce.core.RedisClient.class})
    @Conditional(BackendSelection.OnRedis.class)
    @ConditionalOnLockingHandler
    static class LettuceBackendConfiguration {

        /** A connection of its own on the application's client, closed with the context. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(LockStore.class)
        LettuceLockStores.Managed sessionLockConnection(RedisConnectionFactory connectionFactory) {
            if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
                throw new IllegalStateException("session-locking.backend=redis runs on Lettuce, but the application's "
                        + "RedisConnectionFactory is a "
                        + connectionFactory.getClass().getName() + "; use Lettuce "
                        + "(Spring Boot's default), provide a RedissonClient bean, or set session-locking.backend");
            }
            return LettuceLockStores.connectWith(lettuce.getRequiredNativeClient());
        }

        @Bean
        @ConditionalOnMissingBean(LockStore.class)
        LockStore sessionLockStore(LettuceLockStores.Managed sessionLockConnection) {
            return sessionLockConnection.store();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(BackendSelection.OnMemory.class)
    @ConditionalOnLockingHandler
    static class MemoryBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockStore.class)
        LockStore sessionLockStore(SessionLockingProperties properties) {
            if (properties.getBackend() == null) {
                logger.warn("No Redis client found: session locks are kept in this JVM's memory and do not lock "
                        + "across nodes (set session-locking.backend=memory to silence this warning)");
            }
            return new InMemoryLockStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnLockingHandler
    static class LockingHandlerConfiguration {

        @Bean
        @ConditionalOnMissingBean(SessionLockProvider.class)
        SpinLockProvider sessionLockProvider(
                LockStore store, LockSettings settings, ObjectProvider<SessionLockListener> listeners) {
            return new SpinLockProvider(
                    store,
                    settings,
                    SessionLockListener.composite(listeners.orderedStream().toList()));
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnProperty(prefix = PREFIX, name = "renew", havingValue = "true", matchIfMissing = true)
        LockRenewer sessionLockRenewer(LockSettings settings) {
            return new LockRenewer(settings);
        }

        @Bean
        SessionLockActivity sessionLockActivity(ObjectProvider<SessionLockActivity.Observer> observers) {
            return new SessionLockActivity(observers.orderedStream().toList());
        }

        @Bean
        @ConditionalOnMissingBean
        SessionLockStatistics sessionLockStatistics() {
            return new SessionLockStatistics();
        }

        @Bean
        static LockingSessionRepositoryPostProcessor lockingSessionRepositoryPostProcessor(
                ObjectProvider<SessionLockProvider> provider) {
            return new LockingSessionRepositoryPostProcessor(provider);
        }

        @Bean
        @ConditionalOnMissingBean
        SessionLockPolicy sessionLockPolicy(
                SessionLockingProperties properties,
                ObjectProvider<LockRenewer> renewer,
                ObjectProvider<SessionLockActivity> activity,
                ObjectProvider<LockWaitObserver> waitObserver,
                Environment environment) {
            return SessionLockPolicy.builder()
                    .onTimeout(properties.getOnTimeout())
                    .onLostLock(properties.getOnLostLock())
                    .async(properties.getAsync())
                    .renewer(renewer.getIfAvailable())
                    .activity(activity.getIfAvailable())
                    .waitObserver(waitObserver.getIfAvailable(() -> LockWaitObserver.NONE))
                    .nodeName(nodeName(properties, environment))
                    .build();
        }

        /** {@code session-locking.node-name}, or the application's name with a random id of this JVM. */
        private static String nodeName(SessionLockingProperties properties, Environment environment) {
            String configured = properties.getNodeName();
            return configured != null
                    ? configured
                    : NodeNames.of(environment.getProperty("spring.application.name", ""));
        }

        @Bean
        FilterRegistrationBean<SessionLockFilter> sessionLockFilterRegistration(
                SessionLockingProperties properties,
                SessionLockPolicy policy,
                ObjectProvider<SessionLockDecider> customDeciders,
                ObjectProvider<SessionRepository<?>> sessionRepository,
                Environment environment) {
            SessionLockingProperties.ReadOnly readOnly = properties.getReadOnly();
            SessionLockDecider rules = new RequestRulesDecider(
                    readOnly.getMethods(),
                    ReadOnlyPaths.of(readOnly, environment),
                    readOnly.getLockedPaths(),
                    readOnly.getBotUserAgents());
            List<SessionLockDecider> deciders = new java.util.ArrayList<>();
            deciders.add(rules);
            customDeciders.orderedStream().forEach(deciders::add);
            SessionLockFilter filter = new SessionLockFilter(
                    request -> firstReason(deciders, request),
                    policy,
                    new LockFailureResponse(properties.getFailureStatus(), properties.getRetryAfter()));

            if (!(sessionRepository.getIfAvailable() instanceof LockingRedisSessionRepository)) {
                warnIfWritesBypassTheRepository(environment);
            }
            FilterRegistrationBean<SessionLockFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setName("sessionLockFilter");
            // Just outside Spring Session's filter, so that the release follows its last save.
            registration.setOrder(sessionFilterOrder(environment) - 1);
            registration.setDispatcherTypes(EnumSet.copyOf(sessionFilterDispatcherTypes(environment)));
            registration.setAsyncSupported(true);
            return registration;
        }

        private static @Nullable String firstReason(
                List<SessionLockDecider> deciders, jakarta.servlet.http.HttpServletRequest request) {
            for (SessionLockDecider decider : deciders) {
                String reason = decider.readOnlyReason(request);
                if (reason != null) {
                    return reason;
                }
            }
            return null;
        }

        /**
         * Immediate flushing writes attributes without the repository's save, so read-only requests could write through
         * a decorated repository (the fused repository flushes through its own fenced writes).
         */
        private static void warnIfWritesBypassTheRepository(Environment environment) {
            String flushMode = environment.getProperty("spring.session.data.redis.flush-mode", "");
            if (flushMode.replace("-", "_").equalsIgnoreCase("immediate")) {
                logger.warn("spring.session.data.redis.flush-mode=immediate: sessions write each attribute change "
                        + "directly, so requests served read-only by session-locking can still write attributes; "
                        + "use the default flush mode (on-save) with read-only rules");
            }
        }

        private static int sessionFilterOrder(Environment environment) {
            int order = Binder.get(environment)
                    .bind("spring.session.servlet.filter-order", Integer.class)
                    .orElse(SessionRepositoryFilter.DEFAULT_ORDER);
            if (order == Integer.MIN_VALUE) {
                // Nothing can run outside it: the release would come before Spring Session's last save.
                throw new IllegalStateException("spring.session.servlet.filter-order is Integer.MIN_VALUE; session "
                        + "locking needs its filter to run just outside Spring Session's, so use a higher order");
            }
            return order;
        }

        private static Set<jakarta.servlet.DispatcherType> sessionFilterDispatcherTypes(Environment environment) {
            Set<jakarta.servlet.DispatcherType> types = Binder.get(environment)
                    .bind(
                            "spring.session.servlet.filter-dispatcher-types",
                            org.springframework.boot.context.properties.bind.Bindable.setOf(
                                    jakarta.servlet.DispatcherType.class))
                    .orElse(Set.of(
                            jakarta.servlet.DispatcherType.ASYNC,
                            jakarta.servlet.DispatcherType.ERROR,
                            jakarta.servlet.DispatcherType.REQUEST));
            return types;
        }
    }
}
