package io.sessionlocking.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar} on the jar the build packaged starts the demo, on its own embedded Redis, as the README says.
 * Runs after {@code package} (Failsafe), so the jar is the one this build repackaged.
 */
class ExecutableJarIntegrationTests {

    private static final Duration START_BOUND = Duration.ofMinutes(3);

    @Test
    void theJarStartsTheDemoOnItsOwnRedis() throws Exception {
        Path jar = demoJar();
        Path log = Files.createTempFile(Path.of("target"), "executable-jar", ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process demo = new ProcessBuilder(
                        java.toString(),
                        "-Xmx384m",
                        "-jar",
                        jar.toString(),
                        "--server.port=0",
                        "--spring.main.banner-mode=off")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(START_BOUND)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("the demo exited", () -> !demo.isAlive())
                    .until(() -> Files.readString(log).contains("Started ShopApplication"));

            assertThat(Files.readString(log))
                    .contains("Using embedded Redis on port")
                    .contains(
                            "Session locking: handler=locking, backend=redis-session, repository=LockingRedisSessionRepository (fused)")
                    .doesNotContain("Using Redis at localhost:6379");
        } finally {
            stop(demo);
        }
    }

    private static Path demoJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().matches("example-webapp-.*\\.jar"))
                    .filter(file -> !file.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                    .toList();
            assertThat(jars).as("the packaged demo jar").hasSize(1);
            return jars.get(0);
        }
    }

    /** A normal shutdown stops the embedded Redis with the demo; whatever is left after the bound is killed. */
    private static void stop(Process demo) throws InterruptedException {
        List<ProcessHandle> children = demo.descendants().toList();
        demo.destroy();
        if (!demo.waitFor(30, TimeUnit.SECONDS)) {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
