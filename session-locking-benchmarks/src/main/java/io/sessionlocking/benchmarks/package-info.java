/**
 * A load harness for the lock engine: {@link io.sessionlocking.benchmarks.LockBenchmarks} measures the uncontended
 * cost of a lock against the raw {@code SET NX PX} + {@code DEL} pair, contention of many requests on one session,
 * and throughput over many independent sessions, on one redis-server of its own. Not published.
 */
@NullMarked
package io.sessionlocking.benchmarks;

import org.jspecify.annotations.NullMarked;
