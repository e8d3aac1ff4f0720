package io.sessionlocking.spring.autoconfigure;

import io.sessionlocking.spring.actuate.MaxmemoryPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns once at start-up when the sessions' Redis may evict keys. The check runs on a thread of its own, so a Redis
 * that is slow or down at start-up never delays the application (the health details repeat the warning later); a
 * Redis that cannot be asked is noted at DEBUG only.
 */
final class EvictionPolicyWarning implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(EvictionPolicyWarning.class);

    private final MaxmemoryPolicy policy;

    EvictionPolicyWarning(MaxmemoryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Thread check = new Thread(this::check, "session-lock-eviction-check");
        check.setDaemon(true);
        check.start();
    }

    void check() {
        try {
            String current = policy.read();
            if (current != null && MaxmemoryPolicy.mayEvict(current)) {
                logger.warn(MaxmemoryPolicy.warning(current) + " (see docs/production.md)");
            }
        } catch (RuntimeException e) {
            logger.debug("Could not read Redis's maxmemory-policy at start-up", e);
        }
    }
}
