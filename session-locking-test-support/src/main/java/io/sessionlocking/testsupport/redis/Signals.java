package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals the JDK cannot send: {@link ProcessHandle} only offers SIGTERM and SIGKILL, so SIGSTOP and SIGCONT go
 * through the {@code kill} utility. Each call is bounded.
 */
final class Signals {

    private static final Duration KILL_UTILITY_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration STATE_CHANGE_TIMEOUT = Duration.ofSeconds(2);

    private Signals() {}

    /** Sends SIGSTOP and, where /proc exists, waits until the kernel reports the process as stopped. */
    static void stop(long pid) {
        send(pid, "STOP");
        awaitState(pid, true);
    }

    /** Sends SIGCONT and, where /proc exists, waits until the process is no longer reported as stopped. */
    static void resume(long pid) {
        send(pid, "CONT");
        awaitState(pid, false);
    }

    private static void send(long pid, String signal) {
        ProcessBuilder builder = new ProcessBuilder(killUtility(), "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process kill = builder.start();
            if (!kill.waitFor(KILL_UTILITY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish in time");
            }
            if (kill.exitValue() != 0) {
                throw new IllegalStateException(
                        "kill -" + signal + " " + pid + " failed with exit code " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run the kill utility to send SIG" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }

    private static String killUtility() {
        for (String candidate : new String[] {"/bin/kill", "/usr/bin/kill"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "kill";
    }

    /**
     * Signal delivery is asynchronous; waiting for the state change makes "paused" mean paused when pause() returns.
     * Without /proc (macOS) the signal is trusted to land promptly.
     */
    private static void awaitState(long pid, boolean stopped) {
        if (linuxState(pid).isEmpty()) {
            return;
        }
        boolean reached = Waits.until(
                STATE_CHANGE_TIMEOUT,
                () -> linuxState(pid).map(state -> isStopped(state) == stopped).orElse(true));
        if (!reached) {
            throw new IllegalStateException("Process " + pid + " did not become " + (stopped ? "stopped" : "running")
                    + " within " + STATE_CHANGE_TIMEOUT);
        }
    }

    private static boolean isStopped(char state) {
        return state == 'T' || state == 't';
    }

    /** The state letter of /proc/PID/stat (R, S, T, Z...), empty without /proc or once the process is gone. */
    static Optional<Character> linuxState(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String content = Files.readString(stat, StandardCharsets.UTF_8);
            // The command name in parentheses may itself contain spaces or ')', so parse from the last ')'.
            int end = content.lastIndexOf(')');
            return end >= 0 && end + 2 < content.length() ? Optional.of(content.charAt(end + 2)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
