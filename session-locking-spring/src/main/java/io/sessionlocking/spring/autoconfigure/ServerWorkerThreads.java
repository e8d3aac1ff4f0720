package io.sessionlocking.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The platform worker threads of the application's embedded server, as Spring Boot's own server properties configure
 * them ({@code server.tomcat.threads.max}, 200 by default): the default per-node waiter cap is half of them.
 * {@code null} without an embedded Tomcat, and with virtual threads ({@code spring.threads.virtual.enabled}), where
 * waiters occupy no pool.
 */
final class ServerWorkerThreads {

    private static final boolean TOMCAT = ClassUtils.isPresent(
            "org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties",
            ServerWorkerThreads.class.getClassLoader());

    private ServerWorkerThreads() {}

    static @Nullable Integer of(BeanFactory beans, Environment environment) {
        if (Threading.VIRTUAL.isActive(environment) || !TOMCAT) {
            return null;
        }
        return Tomcat.maxThreads(beans);
    }

    /** Separate, so that the Tomcat types are loaded only when they are there. */
    private static final class Tomcat {

        static @Nullable Integer maxThreads(BeanFactory beans) {
            TomcatServerProperties properties =
                    beans.getBeanProvider(TomcatServerProperties.class).getIfAvailable();
            return properties != null ? properties.getThreads().getMax() : null;
        }
    }
}
