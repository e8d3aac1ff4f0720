package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionlocking.testsupport.redis.BinaryResolver.Environment;
import io.sessionlocking.testsupport.redis.RedisBinary.Source;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryResolverTests {

    /** An OS for which embedded-redis ships no binary, so only PATH and Docker matter. */
    private static final String NO_EMBEDDED_OS = "SunOS";

    @TempDir
    Path temp;

    @Test
    void findsTheFirstExecutableRegularFileOnPath() throws IOException {
        Path asDirectory = Files.createDirectories(temp.resolve("a/redis-server"));
        Path notExecutable =
                Files.createFile(Files.createDirectories(temp.resolve("b")).resolve("redis-server"));
        Path executable = fakeRedisServer(temp.resolve("c"), "echo 'Redis server v=9.9.9 sha=0'");

        String path = String.join(
                File.pathSeparator,
                "",
                asDirectory.getParent().toString(),
                notExecutable.getParent().toString(),
                executable.getParent().toString());

        assertThat(BinaryResolver.findOnPath(path)).contains(executable);
        assertThat(BinaryResolver.findOnPath(temp.resolve("empty").toString())).isEmpty();
        assertThat(BinaryResolver.findOnPath(null)).isEmpty();
    }

    @Test
    void prefersPathAndReportsItsVersion() throws IOException {
        Path executable = fakeRedisServer(temp.resolve("bin"), "echo 'Redis server v=9.9.9 sha=0 bits=64'");
        BinaryResolver resolver = new BinaryResolver(environment(executable.getParent(), "Linux", "amd64", null));

        RedisBinary binary = resolver.resolveDefault();

        assertThat(binary.source()).isEqualTo(Source.PATH);
        assertThat(binary.executable()).contains(executable);
        assertThat(binary.version()).isEqualTo("9.9.9");
        assertThat(binary.description()).isEqualTo("redis-server from PATH: " + executable + " (Redis 9.9.9)");
        assertThat(resolver.resolveDefault()).as("cached").isSameAs(binary);
    }

    @Test
    void failsWithAllThreeOptionsWhenNothingIsAvailable() {
        AtomicInteger dockerProbes = new AtomicInteger();
        BinaryResolver resolver = new BinaryResolver(new Environment(
                temp.toString(), NO_EMBEDDED_OS, "sparcv9", null, () -> dockerProbes.incrementAndGet() < 0));

        assertThatThrownBy(resolver::resolveDefault)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-server on PATH: not found")
                .hasMessageContaining("os.name=SunOS, os.arch=sparcv9")
                .hasMessageContaining("Testcontainers: no reachable Docker engine")
                .hasMessageContaining("apt-get install redis-server")
                .hasMessageContaining("com.github.codemonstur:embedded-redis")
                .hasMessageContaining("Docker engine reachable for Testcontainers");
        assertThatThrownBy(resolver::resolveDefault).isInstanceOf(IllegalStateException.class);
        assertThat(dockerProbes).as("failures are remembered").hasValue(1);
    }

    @Test
    void treatsABrokenPathBinaryAndAFailingDockerProbeAsUnavailable() throws IOException {
        Path broken = fakeRedisServer(temp.resolve("bin"), "echo 'cannot execute' >&2; exit 126");
        BinaryResolver resolver = new BinaryResolver(
                new Environment(broken.getParent().toString(), NO_EMBEDDED_OS, "sparcv9", null, () -> {
                    throw new IllegalStateException("docker misconfigured");
                }));

        assertThatThrownBy(resolver::resolveDefault)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--version failed with exit code 126: cannot execute")
                .hasMessageContaining("Docker probe failed")
                .hasMessageContaining("docker misconfigured");
    }

    @Test
    void forcedSourceIsUsedEvenWhenAnEarlierOneIsAvailable() throws IOException {
        Path executable = fakeRedisServer(temp.resolve("bin"), "echo 'Redis server v=9.9.9'");
        BinaryResolver resolver =
                new BinaryResolver(environment(executable.getParent(), NO_EMBEDDED_OS, "x", "testcontainers"));

        assertThatThrownBy(resolver::resolveDefault)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Redis source TESTCONTAINERS was requested but is unusable")
                .hasMessageContaining("no reachable Docker engine");
    }

    @Test
    void parsesTheSourceProperty() {
        assertThat(BinaryResolver.parseSource("embedded")).contains(Source.EMBEDDED);
        assertThat(BinaryResolver.parseSource(" Path ")).contains(Source.PATH);
        assertThat(BinaryResolver.parseSource("TESTCONTAINERS")).contains(Source.TESTCONTAINERS);
        assertThat(BinaryResolver.parseSource(null)).isEmpty();
        assertThat(BinaryResolver.parseSource(" ")).isEmpty();
        assertThatThrownBy(() -> BinaryResolver.parseSource("docker"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-D" + RedisBinary.SOURCE_PROPERTY)
                .hasMessageContaining("path, embedded or testcontainers");
    }

    @Test
    void mapsPlatformsToEmbeddedRedisResources() {
        assertThat(EmbeddedRedisBinary.resourceName("Linux", "amd64")).contains("redis-server-6.2.6-v5-linux-amd64");
        assertThat(EmbeddedRedisBinary.resourceName("Linux", "x86_64")).contains("redis-server-6.2.6-v5-linux-amd64");
        assertThat(EmbeddedRedisBinary.resourceName("Linux", "aarch64")).contains("redis-server-6.2.7-linux-arm64");
        assertThat(EmbeddedRedisBinary.resourceName("Linux", "i386")).contains("redis-server-6.2.7-linux-386");
        assertThat(EmbeddedRedisBinary.resourceName("Mac OS X", "x86_64"))
                .contains("redis-server-6.2.6-v5-darwin-amd64");
        assertThat(EmbeddedRedisBinary.resourceName("Mac OS X", "aarch64"))
                .contains("redis-server-6.2.6-v5-darwin-arm64");
        assertThat(EmbeddedRedisBinary.resourceName("Windows 11", "amd64")).isEmpty();
        assertThat(EmbeddedRedisBinary.resourceName("Linux", "riscv64")).isEmpty();
    }

    @Test
    void everyMappedResourceShipsInTheEmbeddedRedisJar() {
        for (String os : new String[] {"Linux", "Mac OS X"}) {
            for (String arch : new String[] {"amd64", "aarch64", "i386"}) {
                EmbeddedRedisBinary.resourceName(os, arch)
                        .ifPresent(resource -> assertThat(EmbeddedRedisBinary.isOnClasspath(resource))
                                .as(resource)
                                .isTrue());
            }
        }
    }

    private static Environment environment(Path pathDirectory, String os, String arch, @Nullable String forced) {
        return new Environment(pathDirectory.toString(), os, arch, forced, () -> false);
    }

    private static Path fakeRedisServer(Path directory, String body) throws IOException {
        Files.createDirectories(directory);
        Path script = directory.resolve("redis-server");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }
}
