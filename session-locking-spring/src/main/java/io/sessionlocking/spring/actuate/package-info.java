/**
 * Operations support: the {@code sessionlocks} Actuator endpoint (configuration in effect, totals, recent wait and
 * hold times, who waits and holds now, the most contended sessions, recent failures, who holds a given session's lock
 * across the cluster, and a force release), the statistics behind it, and a health indicator for the lock backend.
 * Session ids appear masked only. Its sibling {@code cacheregenerations} ({@link
 * io.sessionlocking.spring.actuate.CacheRegenerationsEndpoint}) reports cache regeneration: totals per cache and the
 * regenerations in flight on this node.
 */
@NullMarked
package io.sessionlocking.spring.actuate;

import org.jspecify.annotations.NullMarked;
