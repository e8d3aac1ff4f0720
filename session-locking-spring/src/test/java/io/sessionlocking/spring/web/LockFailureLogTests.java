package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import io.sessionlocking.core.LockCouldNotBeAcquiredException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

/** One WARN line per session per interval, with the count of what was left out; time moves by hand. */
class LockFailureLogTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecordingLog log = new RecordingLog();
    private final LockFailureLog failures = new LockFailureLog(log, now::get);
    private final AtomicInteger messagesBuilt = new AtomicInteger();

    @Test
    void aBurstOnOneSessionIsOneLineAndTheNextLineCountsWhatWasLeftOut() {
        for (int i = 0; i < 34; i++) {
            fail("session-a", Reason.TIMEOUT);
        }
        assertThat(log.lines).containsExactly("failure of session-a");
        assertThat(messagesBuilt)
                .as("left-out failures build no message (no holder look-up)")
                .hasValue(1);

        advance(LockFailureLog.INTERVAL);
        fail("session-a", Reason.TIMEOUT);

        assertThat(log.lines)
                .containsExactly(
                        "failure of session-a",
                        "failure of session-a (33 similar failure(s) not logged in the last 10 s)");
    }

    @Test
    void eachSessionHasItsOwnLine() {
        fail("session-a", Reason.TIMEOUT);
        fail("session-b", Reason.TOO_MANY_WAITERS);
        fail("session-a", Reason.TOO_MANY_WAITERS);

        assertThat(log.lines).containsExactly("failure of session-a", "failure of session-b");
    }

    @Test
    void aBackendOutageIsOneLinePerIntervalWhateverTheSession() {
        for (int i = 0; i < 100; i++) {
            fail("session-" + i, Reason.BACKEND_UNAVAILABLE);
        }
        advance(LockFailureLog.INTERVAL.plusMillis(1));
        fail("session-x", Reason.BACKEND_UNAVAILABLE);

        assertThat(log.lines)
                .containsExactly(
                        "failure of session-0",
                        "failure of session-x (99 similar failure(s) not logged in the last 10 s)");
    }

    @Test
    void aSaturatedNodeIsOneLinePerIntervalWhateverTheSession() {
        for (int i = 0; i < 50; i++) {
            fail("session-" + i, Reason.NODE_SATURATED);
        }
        fail("session-0", Reason.TIMEOUT);

        assertThat(log.lines)
                .as("the saturated node's line, and the session's own for another reason")
                .containsExactly("failure of session-0", "failure of session-0");
    }

    @Test
    void memoryIsBoundedAndSessionsBeyondTheBoundShareOneLine() {
        for (int i = 0; i < LockFailureLog.MAX_TRACKED + 50; i++) {
            fail("session-" + i, Reason.TIMEOUT);
        }

        assertThat(log.lines).hasSize(LockFailureLog.MAX_TRACKED + 1);

        advance(LockFailureLog.INTERVAL);
        fail("session-new", Reason.TIMEOUT);
        assertThat(log.lines).last().isEqualTo("failure of session-new");
    }

    @Test
    void nothingIsBuiltWhenWarningsAreOff() {
        log.enabled = false;
        fail("session-a", Reason.TIMEOUT);

        assertThat(messagesBuilt).hasValue(0);
        assertThat(log.lines).isEmpty();
    }

    private void fail(String sessionId, Reason reason) {
        LockCouldNotBeAcquiredException failure =
                new LockCouldNotBeAcquiredException(reason, Duration.ofMillis(5), 1, "sess****", null);
        failures.failed(sessionId, failure, () -> {
            messagesBuilt.incrementAndGet();
            return "failure of " + sessionId;
        });
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    /** Records WARN lines; every other level is off. */
    private static final class RecordingLog implements Log {

        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile boolean enabled = true;

        @Override
        public boolean isWarnEnabled() {
            return enabled;
        }

        @Override
        public void warn(Object message) {
            lines.add(String.valueOf(message));
        }

        @Override
        public void warn(Object message, Throwable t) {
            warn(message);
        }

        // @formatter:off
        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isErrorEnabled() {
            return false;
        }

        @Override
        public boolean isFatalEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public void debug(Object message) {}

        @Override
        public void debug(Object message, Throwable t) {}

        @Override
        public void error(Object message) {}

        @Override
        public void error(Object message, Throwable t) {}

        @Override
        public void fatal(Object message) {}

        @Override
        public void fatal(Object message, Throwable t) {}

        @Override
        public void info(Object message) {}

        @Override
        public void info(Object message, Throwable t) {}

        @Override
        public void trace(Object message) {}

        @Override
        public void trace(Object message, Throwable t) {}
        // @formatter:on
    }
}
