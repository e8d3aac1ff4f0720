package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The redis-server builds shipped as resources of the {@code com.github.codemonstur:embedded-redis} jar. Only the
 * binaries are used, not that library's process management, so this fixture controls ports, signals and cleanup.
 * Resource names are those of embedded-redis 1.4.4 (Redis 6.2); a different version may rename them, in which case
 * this source reports itself unavailable rather than failing obscurely.
 */
final class EmbeddedRedisBinary {

    private static final Set<String> X86_64 = Set.of("amd64", "x86_64", "x64");

    private static final Set<String> ARM64 = Set.of("aarch64", "arm64");

    private static final Set<String> X86_32 = Set.of("x86", "i386", "i486", "i586", "i686");

    private EmbeddedRedisBinary() {}

    /** The jar resource for this platform, empty if the jar ships none (e.g. Windows, where a 5.0 build exists). */
    static Optional<String> resourceName(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (X86_64.contains(arch)) {
                return Optional.of("redis-server-6.2.6-v5-linux-amd64");
            }
            if (ARM64.contains(arch)) {
                return Optional.of("redis-server-6.2.7-linux-arm64");
            }
            if (X86_32.contains(arch)) {
                return Optional.of("redis-server-6.2.7-linux-386");
            }
        } else if (os.contains("mac") || os.contains("darwin")) {
            if (X86_64.contains(arch)) {
                return Optional.of("redis-server-6.2.6-v5-darwin-amd64");
            }
            if (ARM64.contains(arch)) {
                return Optional.of("redis-server-6.2.6-v5-darwin-arm64");
            }
        }
        return Optional.empty();
    }

    static boolean isOnClasspath(String resourceName) {
        return classLoader().getResource(resourceName) != null;
    }

    /**
     * Copies the resource into a fresh temporary directory and makes it executable. The copy is deleted when the JVM
     * exits normally; callers extract once per JVM.
     */
    static Path extract(String resourceName) throws IOException {
        Path directory = Files.createTempDirectory("sessionlocking-redis-");
        Path executable = directory.resolve(resourceName);
        // Registered before the file, so it is deleted after it (deleteOnExit runs in reverse order).
        directory.toFile().deleteOnExit();
        executable.toFile().deleteOnExit();
        try (InputStream in = classLoader().getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new IOException("Resource " + resourceName + " is not on the classpath");
            }
            Files.copy(in, executable, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!executable.toFile().setExecutable(true, true)) {
            throw new IOException("Cannot make " + executable + " executable");
        }
        return executable;
    }

    private static ClassLoader classLoader() {
        @Nullable ClassLoader own = EmbeddedRedisBinary.class.getClassLoader();
        return own != null ? own : ClassLoader.getSystemClassLoader();
    }
}
