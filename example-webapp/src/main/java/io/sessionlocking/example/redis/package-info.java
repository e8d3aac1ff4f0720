/**
 * The demo's Redis: the configured one, else one already answering on the default address, else an embedded
 * redis-server started for the demo's lifetime ({@link io.sessionlocking.example.redis.DemoRedisEnvironmentPostProcessor}).
 */
@NullMarked
package io.sessionlocking.example.redis;

import org.jspecify.annotations.NullMarked;
