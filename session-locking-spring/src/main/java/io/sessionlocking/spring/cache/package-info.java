/**
 * Spring integration of the cache regeneration guard: {@link
 * io.sessionlocking.spring.cache.RegeneratingRedisCacheWriter} under Spring Boot's {@code RedisCacheManager}, so that
 * {@code @Cacheable(sync = true)} regenerates once per key across all nodes with stale-while-revalidate; {@link
 * io.sessionlocking.spring.cache.CacheRegenerationProperties} under {@code session-locking.cache}; and the
 * auto-configurations of the guard, its metrics and its endpoint.
 */
@NullMarked
package io.sessionlocking.spring.cache;

import org.jspecify.annotations.NullMarked;
