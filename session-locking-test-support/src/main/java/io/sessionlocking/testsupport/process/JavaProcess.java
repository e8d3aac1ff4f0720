package io.sessionlocking.testsupport.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A separate JVM running a main class of the current test class path, for faults that need a real process, e.g. a lock
 * holder that is {@code kill -9}ed:
 *
 * <pre>{@code
 * try (JavaProcess holder = JavaProcess.start(HolderMain.class, redis.uri(), "session-1")) {
 *     holder.awaitLine("LOCKED", Duration.ofSeconds(30));
 *     holder.kill();
 *     // the next waiter must now get the lock within TTL + one retry delay
 * }
 * }</pre>
 *
 * <p><b>The child.</b> It runs {@code java} of this JVM with {@code -cp} = this JVM's {@code java.class.path}, the
 * {@linkplain Builder#DEFAULT_JVM_ARGS default JVM arguments} (small heap, quick start) then the builder's, in this
 * JVM's working directory (so its Redis fixture files land in the same {@code target/}). Its main class is called
 * through a small launcher that takes standard input for itself: the main class must not read it.
 *
 * <p><b>Output.</b> Standard output and standard error are drained into lines from the start (so the child never
 * blocks on a full pipe); the first 50,000 lines of each are kept. {@link #awaitLine} looks at every kept stdout line
 * since the start, so a line printed before the call counts.
 *
 * <p><b>No orphans.</b> {@link #close()} SIGKILLs a child still running; a JVM shutdown hook SIGKILLs every child not
 * closed; and if this JVM is SIGKILLed itself, the child's launcher sees its standard input end and halts (exit code
 * {@value ChildMain#ORPHANED_EXIT_CODE}) within moments.
 *
 * <p><b>Concurrency and bounds.</b> Thread-safe. Every wait is bounded: {@link #awaitLine} and {@link #awaitExit} by
 * their argument, {@link #kill()} and {@link #close()} by 10 s for the exit and 2 s for the output drainers.
 */
public final class JavaProcess implements AutoCloseable {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private static final int TAIL_LINES = 20;

    private final Process process;

    private final String mainClass;

    private final OutputLines stdout;

    private final OutputLines stderr;

    private JavaProcess(Process process, String mainClass) {
        this.process = process;
        this.mainClass = mainClass;
        String name = "java-process-" + process.pid();
        this.stdout = new OutputLines(process.getInputStream(), name + "-stdout");
        this.stderr = new OutputLines(process.getErrorStream(), name + "-stderr");
    }

    /** Starts {@code mainClass} with {@code args} and the default JVM arguments. */
    public static JavaProcess start(Class<?> mainClass, String... args) {
        return builder(mainClass).args(args).start();
    }

    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the child has printed exactly {@code line} on standard output.
     *
     * @return the line
     * @throws IllegalStateException if the child exits first or {@code timeout} elapses (with both outputs' tails)
     */
    public String awaitLine(String line, Duration timeout) {
        return awaitLine(line::equals, "\"" + line + "\"", timeout);
    }

    /**
     * Waits until the child has printed a line matching {@code matcher} on standard output, e.g. {@code
     * line -> line.startsWith("PORT ")}.
     *
     * @return the first matching line
     * @throws IllegalStateException if the child exits first or {@code timeout} elapses (with both outputs' tails)
     */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        return awaitLine(matcher, "a matching line", timeout);
    }

    private String awaitLine(Predicate<String> matcher, String wanted, Duration timeout) {
        Objects.requireNonNull(matcher, "matcher");
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> found;
        try {
            found = stdout.awaitFirst(matcher, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + wanted + " from " + this, e);
        }
        if (found.isPresent()) {
            return found.get();
        }
        String why = stdout.hasEnded() && exitsWithin(DRAIN_TIMEOUT)
                ? "exited with code " + process.exitValue() + " before printing " + wanted
                : "did not print " + wanted + " within " + timeout;
        throw new IllegalStateException(this + " " + why + "\n" + diagnostics());
    }

    /** The end of stdout comes with the exit, but the JDK may learn of the exit a moment later. */
    private boolean exitsWithin(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every standard output line kept so far. */
    public List<String> stdout() {
        return stdout.snapshot();
    }

    /** Every standard error line kept so far. */
    public List<String> stderr() {
        return stderr.snapshot();
    }

    /**
     * Waits for the child to exit by itself and for its output to be drained.
     *
     * @return the exit code
     * @throws IllegalStateException if it is still running after {@code timeout} (it is left running)
     */
    public int awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(this + " still running after " + timeout + "\n" + diagnostics());
            }
            long drainDeadline = Math.max(deadline, System.nanoTime() + DRAIN_TIMEOUT.toNanos());
            stdout.awaitEnd(drainDeadline);
            stderr.awaitEnd(drainDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + this + " to exit", e);
        }
        return process.exitValue();
    }

    /**
     * {@code kill -9}: SIGKILLs the child (no shutdown hook, no finally block runs in it) and waits up to 10 s for it
     * to exit and 2 s for its output to be drained. No-op if it already exited.
     *
     * @throws IllegalStateException if it does not exit in time
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit(EXIT_TIMEOUT);
    }

    /** {@link #kill()}s the child if it is still running; idempotent. */
    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "JavaProcess[" + mainClass + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }

    private String diagnostics() {
        return "stdout:\n" + stdout.tail(TAIL_LINES) + "\nstderr:\n" + stderr.tail(TAIL_LINES);
    }

    /** How to start a {@link JavaProcess}; not thread-safe, one builder per start. */
    public static final class Builder {

        /** Small and quick to start: a 2-core machine runs several of these next to the build. */
        public static final List<String> DEFAULT_JVM_ARGS =
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

        private final Class<?> mainClass;

        private final List<String> jvmArgs = new ArrayList<>(DEFAULT_JVM_ARGS);

        private final List<String> args = new ArrayList<>();

        private Builder(Class<?> mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /** Appends program arguments. */
        public Builder args(String... programArgs) {
            args.addAll(Arrays.asList(programArgs));
            return this;
        }

        /** Appends JVM arguments, after the defaults (so {@code -Xmx1g} overrides the default heap). */
        public Builder jvmArgs(String... extraJvmArgs) {
            jvmArgs.addAll(Arrays.asList(extraJvmArgs));
            return this;
        }

        /** Shortcut for {@code jvmArgs("-Dname=value")}. */
        public Builder systemProperty(String name, String value) {
            return jvmArgs("-D" + name + "=" + value);
        }

        /**
         * Starts the child; returns once it is spawned, not once its main runs (use {@link #awaitLine} for that).
         *
         * @throws IllegalStateException if the {@code java} executable cannot be started
         */
        public JavaProcess start() {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.addAll(jvmArgs);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
            command.add(mainClass.getName());
            command.addAll(args);
            // stdin stays a pipe that nobody writes to: its end tells the child that this JVM is gone.
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(Path.of("").toAbsolutePath().toFile());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start a JVM for " + mainClass.getName(), e);
            }
            ChildProcesses.register(process);
            return new JavaProcess(process, mainClass.getName());
        }

        private static String javaExecutable() {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return java.toFile().canExecute() ? java.toString() : "java";
        }
    }
}
