/**
 * The demo's Redis: the configured one, else the local one on the default port when {@code demo.redis=local} asks
 * for it, else an embedded redis-server started for the demo's lifetime ({@link io.sessionlocking.example.redis.DemoRedisEnvironmentPostProcessor}).
 */
@NullMarked
package io.sessionlocking.example.redis;

import org.jspecify.annotations.NullMarked;
