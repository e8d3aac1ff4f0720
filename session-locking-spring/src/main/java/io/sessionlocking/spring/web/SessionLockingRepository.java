package io.sessionlocking.spring.web;

/**
 * Marks a {@code SessionRepository} whose sessions are locked per request: {@link LockingSessionRepository} itself, or
 * the proxy that the Boot auto-configuration puts around an application's repository bean.
 */
public interface SessionLockingRepository {}
