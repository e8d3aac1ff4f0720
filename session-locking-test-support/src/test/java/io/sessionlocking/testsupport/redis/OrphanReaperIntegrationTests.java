package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanReaperIntegrationTests {

    @TempDir
    Path pidDirectory;

    @TempDir
    Path workDirectory;

    @Test
    void killsARedisServerLeftByADeadJvm() throws Exception {
        int port = FreePorts.reserve(false);
        Path executable =
                RedisBinary.resolve(RedisBinary.Source.PATH).executable().orElseThrow();
        // Started outside the registry, exactly as a JVM that died without its shutdown hook would leave it.
        Process orphan = new ProcessBuilder(
                        executable.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--dir",
                        workDirectory.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> "PONG".equals(Resp.call("127.0.0.1", port, Duration.ofSeconds(1), "PING")));
            new PidFile(orphan.pid(), deadPid(), -1, port, workDirectory).write(pidDirectory);

            assertThat(OrphanReaper.reap(pidDirectory)).isEqualTo(1);

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.list(pidDirectory)).isEmpty();
            assertThat(workDirectory)
                    .as("not under the fixture's nodes directory")
                    .exists();
        } finally {
            orphan.destroyForcibly();
            FreePorts.release(port, false);
        }
    }

    @Test
    void sparesUnrelatedProcessesAndServersOfLiveJvms() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            new PidFile(unrelated.pid(), deadPid(), -1, 40001, workDirectory).write(pidDirectory);
            PidFile.forCurrentJvm(unrelated.pid(), 40002, workDirectory).write(pidDirectory);

            assertThat(OrphanReaper.reap(pidDirectory)).isZero();

            assertThat(unrelated.isAlive()).isTrue();
            assertThat(PidFile.location(pidDirectory, 40001))
                    .as("stale record removed")
                    .doesNotExist();
            assertThat(PidFile.location(pidDirectory, 40002))
                    .as("live owner's record kept")
                    .exists();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    /** The pid of a process that has exited, standing in for a crashed test JVM. */
    private static long deadPid() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return process.pid();
    }
}
