package io.sessionlocking.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Real child JVMs; each starts in well under a second on an idle machine, the timeouts allow for a loaded one. */
class JavaProcessIntegrationTests {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    void runsAMainOfTheTestClassPathWithArgumentsAndCapturesItsOutput() {
        try (JavaProcess child = JavaProcess.builder(TestMains.Echo.class)
                .args("a", "b c")
                .systemProperty("fixture.test", "yes")
                .start()) {
            assertThat(child.awaitLine("done", STARTUP)).isEqualTo("done");
            assertThat(child.awaitLine(line -> line.startsWith("args "), STARTUP))
                    .isEqualTo("args a,b c");

            assertThat(child.awaitExit(STARTUP)).isEqualTo(3);
            assertThat(child.stdout()).containsExactly("started", "args a,b c", "property yes", "done");
            assertThat(child.stderr()).contains("to stderr");
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void killEndsTheProcessAtOnceWithSigkill() {
        JavaProcess child = JavaProcess.start(TestMains.Hang.class);
        child.awaitLine("ready", STARTUP);

        child.kill();

        assertThat(child.isAlive()).isFalse();
        assertThat(ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(child.awaitExit(Duration.ZERO)).isEqualTo(128 + 9);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith("java-process-" + child.pid()) && thread.isAlive());
        child.close(); // idempotent
    }

    @Test
    void awaitLineFailsAsSoonAsTheProcessExitsWithoutPrintingIt() {
        try (JavaProcess child = JavaProcess.start(TestMains.Fail.class)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> child.awaitLine("never", Duration.ofMinutes(5)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 2")
                    .hasMessageContaining("bye");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
        }
    }

    @Test
    void awaitLineIsBounded() {
        try (JavaProcess child = JavaProcess.start(TestMains.Hang.class)) {
            child.awaitLine("ready", STARTUP);

            assertThatThrownBy(() -> child.awaitLine("never", Duration.ofMillis(200)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not print \"never\" within PT0.2S")
                    .hasMessageContaining("ready");
            assertThat(child.isAlive()).isTrue();
        }
    }

    @Test
    void aChildDoesNotOutliveItsParentEvenWhenTheParentIsSigkilled() {
        long grandchild;
        try (JavaProcess parent = JavaProcess.start(TestMains.Parent.class)) {
            String line = parent.awaitLine(l -> l.startsWith("grandchild "), STARTUP);
            grandchild = Long.parseLong(line.substring("grandchild ".length()));
            assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive))
                    .isPresent();

            parent.kill(); // no shutdown hook runs in the parent: only the grandchild's watchdog can act
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(grandchild)
                        .filter(ProcessHandle::isAlive)
                        .isEmpty());
    }
}
