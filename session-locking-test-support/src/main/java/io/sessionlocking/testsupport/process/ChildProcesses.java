package io.sessionlocking.testsupport.process;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every child JVM this JVM started and has not yet seen exit; a shutdown hook SIGKILLs them. A JVM that dies without
 * running its hooks (SIGKILL) is covered by {@link ChildMain}'s watchdog instead. Thread-safe.
 */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> LIVE.forEach(Process::destroyForcibly), "java-process-fixture-shutdown"));
    }

    private ChildProcesses() {}

    static void register(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }
}
