package io.sessionlocking.testsupport.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lines of one output stream of a child process, drained by a daemon thread from the start so the child never
 * blocks on a full pipe. The first {@value #MAX_LINES} lines are kept; later ones are drained and counted but not
 * kept. Thread-safe: readers wait on this object's monitor, which is notified on every line and at the end of the
 * stream.
 */
final class OutputLines {

    static final int MAX_LINES = 50_000;

    private final List<String> lines = new ArrayList<>();

    private final Thread drainer;

    private long discarded;

    private boolean ended;

    OutputLines(InputStream stream, String threadName) {
        drainer = new Thread(() -> drain(stream), threadName);
        drainer.setDaemon(true);
        drainer.start();
    }

    private void drain(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                add(line);
            }
        } catch (IOException e) {
            // the pipe broke with the process: the stream ends here
        } finally {
            end();
        }
    }

    private synchronized void add(String line) {
        if (lines.size() < MAX_LINES) {
            lines.add(line);
        } else {
            discarded++;
        }
        notifyAll();
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized boolean hasEnded() {
        return ended;
    }

    synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }

    /** The last {@code count} kept lines, joined for a diagnostic message. */
    synchronized String tail(int count) {
        List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
        return tail.isEmpty() ? "(nothing)" : String.join("\n", tail) + (discarded > 0 ? "\n(+" + discarded + ")" : "");
    }

    /**
     * The first kept line matching, waiting until one is printed, the stream ends, or the deadline ({@link
     * System#nanoTime()}) passes; empty in the last two cases.
     */
    synchronized Optional<String> awaitFirst(Predicate<String> matcher, long deadlineNanos)
            throws InterruptedException {
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (matcher.test(lines.get(checked))) {
                    return Optional.of(lines.get(checked));
                }
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (ended || remaining <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    /** Waits (bounded) for the drainer to reach the end of the stream, e.g. after the process died. */
    boolean awaitEnd(long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.timedJoin(drainer, remaining);
        }
        return !drainer.isAlive();
    }
}
