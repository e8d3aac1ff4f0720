package io.sessionlocking.benchmarks.handoff;

/** One node's way to take and give back the benchmark's lock: the engine on its own connections, or Redisson. */
interface Contender extends AutoCloseable {

    /** Takes the lock, waiting as long as it takes (bounded by the engine's timeout). */
    void lock() throws Exception;

    void unlock() throws Exception;

    /** Commands this node's clients have sent so far, or -1 when they cannot be counted. */
    long commandsSent();

    @Override
    void close();
}
