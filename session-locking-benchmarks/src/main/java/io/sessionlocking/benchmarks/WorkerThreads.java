package io.sessionlocking.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** A scenario's load threads: daemons, created first, started together, and joined after the window. */
final class WorkerThreads {

    private static final long THREAD_JOIN_MILLIS = 10_000;

    private final List<Thread> threads = new ArrayList<>();

    void add(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
    }

    void startAll() {
        for (Thread thread : threads) {
            thread.start();
        }
    }

    /** Joins each thread in turn; one that does not end in time fails the run. */
    void joinAll() {
        for (Thread thread : threads) {
            join(thread);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(THREAD_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining " + thread.getName(), e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(
                    thread.getName() + " did not finish within " + THREAD_JOIN_MILLIS + " ms after its window");
        }
    }
}
