package io.sessionlocking.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;

/**
 * Matches in a servlet application whose session handler is {@code locking} (the default): the one place that says
 * when the lock machinery is wanted at all, so the handler's beans and every backend agree.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "session-locking", name = "handler", havingValue = "locking", matchIfMissing = true)
@interface ConditionalOnLockingHandler {}
