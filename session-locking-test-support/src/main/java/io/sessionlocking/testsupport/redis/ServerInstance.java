package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * One launch of redis-server (a process or a container). A restart creates a new instance. Implementations are not
 * required to be thread-safe: {@link RedisNode} serialises all calls.
 */
interface ServerInstance {

    /** The operating-system pid, empty when the server does not run as a local process. */
    OptionalLong pid();

    boolean isAlive();

    /** Whether this very instance (not some other server that took the port) answers commands. Never blocks long. */
    boolean isReady();

    /** After the instance exited on its own: whether it did so because its port was already taken. */
    boolean failedToBind();

    /** What to show when the instance misbehaves, typically the tail of its log. */
    String diagnostics();

    /** SIGKILL (or the container equivalent) and wait for the exit. Safe on an instance that already exited. */
    void kill(Duration timeout);

    /** Graceful shutdown (SIGTERM), escalating to {@link #kill} if the instance has not exited within timeout. */
    void terminate(Duration timeout);

    /** Freeze the server (SIGSTOP): connections stay open but nothing is answered. */
    void pause();

    /** Undo {@link #pause()} (SIGCONT). */
    void resume();
}
