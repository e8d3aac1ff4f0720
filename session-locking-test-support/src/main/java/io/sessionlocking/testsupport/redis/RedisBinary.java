package io.sessionlocking.testsupport.redis;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The redis-server the fixture runs, resolved once per JVM and cached:
 *
 * <ol>
 *   <li>{@link Source#PATH}: an executable {@code redis-server} in a {@code PATH} directory;
 *   <li>{@link Source#EMBEDDED}: the Redis 6.2 build shipped in the {@code com.github.codemonstur:embedded-redis} jar
 *       for this os.name/os.arch (Linux x86_64/arm64/x86, macOS x86_64/arm64), extracted to a temporary directory;
 *   <li>{@link Source#TESTCONTAINERS}: the {@code redis:7.2-alpine} image, if a Docker engine is reachable.
 * </ol>
 *
 * <p>If none is usable, {@link #resolve()} throws an {@link IllegalStateException} naming all three options, so tests
 * fail instead of being skipped. The system property {@value #SOURCE_PROPERTY} ({@code path}, {@code embedded} or
 * {@code testcontainers}) forces one source. The choice is logged once at INFO through {@link System.Logger}.
 *
 * <p>Thread-safe. The first resolution may take a few seconds (binary extraction, Docker probe) and is bounded.
 */
public final class RedisBinary {

    /** System property forcing a source: {@code path}, {@code embedded} or {@code testcontainers}. */
    public static final String SOURCE_PROPERTY = "sessionlocking.test.redis";

    /** Where a redis-server comes from, in the order they are tried. */
    public enum Source {
        /** {@code redis-server} found on {@code PATH}. */
        PATH,
        /** The binary shipped inside the embedded-redis jar. */
        EMBEDDED,
        /** A {@code redis:7.2-alpine} container run by Testcontainers. */
        TESTCONTAINERS
    }

    private final Source source;

    private final @Nullable Path executable;

    private final String version;

    private final String description;

    private final ServerLauncher launcher;

    RedisBinary(Source source, @Nullable Path executable, String version, String description, ServerLauncher launcher) {
        this.source = source;
        this.executable = executable;
        this.version = version;
        this.description = description;
        this.launcher = launcher;
    }

    /**
     * The binary every {@link RedisNode} uses by default: the source forced by {@value #SOURCE_PROPERTY}, else the
     * first usable one. Resolved on first call and cached for the JVM.
     *
     * @throws IllegalStateException if no source is usable (the message says how to fix it)
     */
    public static RedisBinary resolve() {
        return Resolvers.DEFAULT.resolveDefault();
    }

    /**
     * A specific source, ignoring {@value #SOURCE_PROPERTY}; cached per source for the JVM. Lets a test exercise a
     * fallback (e.g. {@link Source#EMBEDDED}) on a machine that also has redis-server on PATH.
     *
     * @throws IllegalStateException if that source cannot be used on this machine
     */
    public static RedisBinary resolve(Source source) {
        return Resolvers.DEFAULT.resolve(source);
    }

    public Source source() {
        return source;
    }

    /** The redis-server executable; empty for {@link Source#TESTCONTAINERS}. */
    public Optional<Path> executable() {
        return Optional.ofNullable(executable);
    }

    /** The Redis version as reported by {@code redis-server --version} (for containers: the image tag). */
    public String version() {
        return version;
    }

    /** Human-readable origin, e.g. {@code redis-server from PATH: /usr/bin/redis-server (Redis 7.0.15)}. */
    public String description() {
        return description;
    }

    ServerLauncher launcher() {
        return launcher;
    }

    @Override
    public String toString() {
        return description;
    }

    /** Lazy holder: nothing is probed until the first node starts. */
    private static final class Resolvers {
        static final BinaryResolver DEFAULT = new BinaryResolver(BinaryResolver.Environment.current());
    }
}
