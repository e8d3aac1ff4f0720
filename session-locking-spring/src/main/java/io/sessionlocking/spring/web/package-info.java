/**
 * The request side of session locking. {@link io.sessionlocking.spring.web.RequestSessionLock} owns a request's lock
 * state and decides how each load and save of the request is done; the locking repositories (the fused Redis
 * repository, or {@link io.sessionlocking.spring.web.LockingSessionRepository} decorating any other) perform it; and
 * {@link io.sessionlocking.spring.web.SessionLockFilter}, ordered just outside {@code SessionRepositoryFilter}, gives
 * each request its lock state and ends it after the last save. Locks belong to the request, never to a thread.
 */
@NullMarked
package io.sessionlocking.spring.web;

import org.jspecify.annotations.NullMarked;
