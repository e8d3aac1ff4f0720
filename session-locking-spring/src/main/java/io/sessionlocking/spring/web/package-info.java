/**
 * The request side of session locking: {@link io.sessionlocking.spring.web.LockingSessionRepository} takes a
 * session's lock when Spring Session loads it, and {@link io.sessionlocking.spring.web.SessionLockFilter}, ordered
 * just outside {@code SessionRepositoryFilter}, releases every lock of the request after the last save. Locks belong
 * to the request ({@link io.sessionlocking.spring.web.RequestLocks}), never to a thread.
 */
@NullMarked
package io.sessionlocking.spring.web;

import org.jspecify.annotations.NullMarked;
