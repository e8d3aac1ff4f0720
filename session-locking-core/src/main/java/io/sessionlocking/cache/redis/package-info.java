/**
 * The Redis backend of the regeneration guard on Lettuce: one hash per entry holding the value, its metadata and its
 * regeneration lock, every operation one single-key Lua script run by SHA (so it works on Redis Cluster as is), and a
 * pub/sub channel that wakes waiting nodes when an awaited entry is filled.
 */
@NullMarked
package io.sessionlocking.cache.redis;

import org.jspecify.annotations.NullMarked;
