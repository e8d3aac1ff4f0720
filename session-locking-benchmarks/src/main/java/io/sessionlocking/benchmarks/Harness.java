package io.sessionlocking.benchmarks;

import io.sessionlocking.core.LockStore;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.PrintStream;

/**
 * One benchmark run's clients and settings, shared by its scenarios.
 *
 * @param options the run's settings
 * @param redis the run's own redis-server, whose {@code INFO commandstats} count the requests
 * @param cycles the raw command pairs on one plain connection, and the engine's lock + unlock
 * @param lettuceStore the lock store on Lettuce
 * @param redissonStore the lock store on Redisson
 * @param progress where progress goes (standard error for {@code main})
 */
record Harness(
        BenchmarkOptions options,
        RedisNode redis,
        LockCycles cycles,
        LockStore lettuceStore,
        LockStore redissonStore,
        PrintStream progress) {}
