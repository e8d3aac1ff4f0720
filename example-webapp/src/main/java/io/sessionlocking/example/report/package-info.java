/**
 * The cache stampede demo: a report that takes about 500 ms to compute, cached in Redis with {@code @Cacheable(sync =
 * true)} and regenerated once per key across all nodes by session-locking's cache guard, with a flush, a soft purge
 * and a burst of parallel readers.
 */
@NullMarked
package io.sessionlocking.example.report;

import org.jspecify.annotations.NullMarked;
