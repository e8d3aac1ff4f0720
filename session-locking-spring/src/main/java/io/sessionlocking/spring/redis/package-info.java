/**
 * The fused Redis session repository: Spring Session's own non-indexed data model with the request's lock inside the
 * session hash, so that loading takes the lock in the same round trip, saving checks it in the same script (a fenced
 * write) and the last save releases it, every script on one key (Redis Cluster without hash tags). {@link
 * io.sessionlocking.spring.redis.LockingRedisSessions} builds it.
 */
@NullMarked
package io.sessionlocking.spring.redis;

import org.jspecify.annotations.NullMarked;
