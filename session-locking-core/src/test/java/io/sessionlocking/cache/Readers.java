package io.sessionlocking.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * N reader threads released together by one gate; each records what its call returned or threw and how long it
 * took. Used by the stampede tests; every wait is bounded.
 */
public final class Readers {

    /** One reader's outcome; {@code finishedNanos} is its {@link System#nanoTime()} when the call returned. */
    public record Result(String value, Throwable error, Duration took, long finishedNanos) {
        public boolean failed() {
            return error != null;
        }
    }

    /** A call a reader makes. */
    public interface Call {
        String call() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch done;

    private Readers(int count, IntFunction<Call> calls) {
        this.done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Call call = calls.apply(i);
            Thread thread = new Thread(() -> run(call), "reader-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /** Starts {@code count} readers, reader i making {@code calls.apply(i)}; they wait at the gate. */
    public static Readers start(int count, IntFunction<Call> calls) {
        Readers readers = new Readers(count, calls);
        readers.threads.forEach(Thread::start);
        return readers;
    }

    /** Opens the gate. */
    public Readers go() {
        gate.countDown();
        return this;
    }

    /** The results, once every reader is done, waiting at most {@code timeout}. */
    public List<Result> await(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            threads.forEach(Thread::interrupt);
            throw new AssertionError("readers still running after " + timeout + ": " + done.getCount() + " left");
        }
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** The {@code p}-quantile of the times taken, e.g. 0.99. */
    public static Duration quantile(List<Result> results, double p) {
        List<Duration> times = results.stream().map(Result::took).sorted().toList();
        int index = (int) Math.ceil(p * times.size()) - 1;
        return times.get(Math.max(0, Math.min(index, times.size() - 1)));
    }

    private void run(Call call) {
        Result result;
        try {
            gate.await();
            long started = System.nanoTime();
            try {
                String value = call.call();
                long finished = System.nanoTime();
                result = new Result(value, null, Duration.ofNanos(finished - started), finished);
            } catch (Throwable t) {
                long finished = System.nanoTime();
                result = new Result(null, t, Duration.ofNanos(finished - started), finished);
            }
        } catch (InterruptedException e) {
            result = new Result(null, e, Duration.ZERO, System.nanoTime());
        }
        synchronized (results) {
            results.add(result);
        }
        done.countDown();
    }
}
