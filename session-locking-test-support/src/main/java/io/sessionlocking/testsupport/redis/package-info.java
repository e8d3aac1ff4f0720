/**
 * Real-Redis test fixture shared by the tests of every module: {@link io.sessionlocking.testsupport.redis.RedisNode}
 * runs one {@code redis-server} process on a free loopback port (never 6379) and injects faults into it (kill, pause,
 * resume, stop, restart on the same port), {@link io.sessionlocking.testsupport.redis.RedisCluster} wires three such
 * nodes into a Redis Cluster, and {@link io.sessionlocking.testsupport.redis.RedisExtension} and
 * {@link io.sessionlocking.testsupport.redis.RedisClusterExtension} manage them from JUnit 5. The executable is
 * resolved once per JVM by {@link io.sessionlocking.testsupport.redis.RedisBinary} (PATH, then the binary shipped in
 * the embedded-redis jar, then Testcontainers); when none is usable the fixture fails loudly instead of letting tests
 * be skipped. Every process is tracked so that none outlives its JVM, and orphans left by a JVM that died are reaped.
 */
@org.jspecify.annotations.NullMarked
package io.sessionlocking.testsupport.redis;
