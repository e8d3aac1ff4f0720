/**
 * The Redis backend on Redisson, for applications that already run a {@code RedissonClient}. It issues the same
 * commands and scripts as the Lettuce backend, so both backends can guard the same sessions side by side.
 */
@NullMarked
package io.sessionlocking.redisson;

import org.jspecify.annotations.NullMarked;
