/**
 * Micrometer metrics of session locking, bound through the core listener SPI: wait, hold and attempt distributions,
 * failures by reason, lost locks, waiters and holders now, requests served read-only. No meter is ever tagged with a
 * session id.
 */
@NullMarked
package io.sessionlocking.spring.metrics;

import org.jspecify.annotations.NullMarked;
