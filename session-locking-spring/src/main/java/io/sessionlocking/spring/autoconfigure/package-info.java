/**
 * Spring Boot auto-configuration: {@link io.sessionlocking.spring.autoconfigure.SessionLockingProperties} under
 * {@code session-locking}, the lock backend chosen from the application's beans, the repository decorator applied to
 * the application's {@code SessionRepository} bean, and the request filter.
 */
@NullMarked
package io.sessionlocking.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
