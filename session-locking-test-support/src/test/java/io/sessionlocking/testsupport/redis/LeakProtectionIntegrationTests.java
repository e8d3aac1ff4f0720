package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs a node in a child JVM and checks that no redis-server survives that JVM, however it ends. */
class LeakProtectionIntegrationTests {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shutdownHookKillsNodesThatWereNeverClosed() throws Exception {
        Process child = startChild("exit");
        try {
            ChildNode node = readNode(child);

            assertThat(child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();

            await().atMost(Duration.ofSeconds(5)).until(() -> !isAlive(node.pid()));
            assertThat(PidFile.location(FixtureDirectories.pids(), node.port())).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void nodesOfASigkilledJvmAreReapedFromTheirPidFiles() throws Exception {
        Process child = startChild("hang");
        ChildNode node;
        try {
            node = readNode(child);
        } finally {
            child.destroyForcibly(); // SIGKILL: the child's shutdown hook cannot run
        }
        assertThat(child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Path pidFile = PidFile.location(FixtureDirectories.pids(), node.port());
        Path nodeDirectory = PidFile.read(pidFile).orElseThrow().nodeDirectory();
        assertThat(isAlive(node.pid())).as("orphaned by the dead JVM").isTrue();

        assertThat(OrphanReaper.reap(FixtureDirectories.pids())).isEqualTo(1);

        assertThat(isAlive(node.pid())).isFalse();
        assertThat(pidFile).doesNotExist();
        assertThat(nodeDirectory).doesNotExist();
    }

    private static Process startChild(String mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildJvm.class.getName(), mode)
                // Same working directory, hence the same fixture directory as this JVM.
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static ChildNode readNode(Process child) throws Exception {
        BufferedReader output =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return output.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(line).as("child JVM output").isNotNull().matches("\\d+ \\d+");
        String[] parts = line.split(" ");
        return new ChildNode(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent();
    }

    private record ChildNode(int port, long pid) {}

    /** Starts a node, prints "port pid", then exits without closing it ("exit") or blocks until killed ("hang"). */
    static final class ChildJvm {

        public static void main(String[] args) throws Exception {
            RedisNode node = RedisNode.start();
            System.out.println(node.port() + " " + node.pid());
            System.out.flush();
            if (args[0].equals("hang")) {
                System.in.read(); // the parent never writes: blocks until the parent kills this JVM
            }
            System.exit(0);
        }
    }
}
