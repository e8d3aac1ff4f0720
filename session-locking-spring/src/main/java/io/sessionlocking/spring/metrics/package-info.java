/**
 * Micrometer metrics of session locking, bound through the core listener SPI: wait, hold and attempt distributions,
 * failures by reason, lost locks, waiters and holders now, requests served read-only. No meter is ever tagged with a
 * session id. {@link io.sessionlocking.spring.metrics.CacheRegenerationMetrics} does the same for cache regeneration
 * ({@code cache.regeneration*}, tagged by cache name, never by key).
 */
@NullMarked
package io.sessionlocking.spring.metrics;

import org.jspecify.annotations.NullMarked;
