/**
 * Real-Redis test fixture shared by the tests of every module: {@link io.sessionlocking.testsupport.redis.RedisNode}
 * runs one {@code redis-server} process on a free loopback port (never 6379) and injects faults into it (kill, pause,
 * resume, stop, restart on the same port); {@link io.sessionlocking.testsupport.redis.RedisCluster} wires three
 * masters, optionally with replicas, into a Redis Cluster and fails them over (a key's master, graceful, forced or by
 * takeover; or automatically after a kill), and can pause replication so that a write acknowledged by a master is
 * lost on promotion; {@link io.sessionlocking.testsupport.redis.RedisSentinelGroup} runs a master, its replica and
 * sentinels; {@link io.sessionlocking.testsupport.redis.RedisExtension} and {@link
 * io.sessionlocking.testsupport.redis.RedisClusterExtension} manage nodes and clusters from JUnit 5. The executable is
 * resolved once per JVM by {@link io.sessionlocking.testsupport.redis.RedisBinary} (PATH, then the binary shipped in
 * the embedded-redis jar, then Testcontainers); when none is usable the fixture fails loudly instead of letting tests
 * be skipped. The one exception is Sentinel where only Testcontainers is usable: {@link
 * io.sessionlocking.testsupport.redis.RedisSentinelGroup#unavailableReason()} then gives the reason to skip with. Every
 * process is tracked so that none outlives its JVM, and orphans left by a JVM that died are reaped.
 */
@org.jspecify.annotations.NullMarked
package io.sessionlocking.testsupport.redis;
