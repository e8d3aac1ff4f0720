/**
 * Stampede-safe cache regeneration on Redis, no Spring: {@link io.sessionlocking.cache.RegenerationGuard} runs a
 * missing or stale entry's loader once across all nodes, serves stale copies meanwhile (stale-while-revalidate,
 * stale-if-error) and can refresh early (XFetch); {@link io.sessionlocking.cache.RegenerationGuards} makes guards on
 * one {@link io.sessionlocking.cache.EntryStore}, the backend SPI, with a Lettuce backend in {@code
 * io.sessionlocking.cache.redis} and an in-memory one in {@code io.sessionlocking.cache.memory}; {@link
 * io.sessionlocking.cache.RegenerationListener} is the SPI that metrics bind to.
 */
@NullMarked
package io.sessionlocking.cache;

import org.jspecify.annotations.NullMarked;
