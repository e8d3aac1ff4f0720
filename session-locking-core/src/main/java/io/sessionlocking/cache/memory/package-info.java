/**
 * The in-memory backend of the regeneration guard: the Redis scripts' semantics in one JVM, for a single node and
 * for tests with an injected clock.
 */
@NullMarked
package io.sessionlocking.cache.memory;

import org.jspecify.annotations.NullMarked;
