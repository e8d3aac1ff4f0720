package io.sessionlocking.testsupport.redis;

import io.sessionlocking.testsupport.redis.RedisBinary.Source;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Decides which redis-server to use from an {@link Environment} (PATH, os.name/os.arch, Docker availability and the
 * {@value RedisBinary#SOURCE_PROPERTY} property), so the decision can be tested with a fake environment. Each source
 * is materialised at most once per resolver (the embedded binary is extracted once; failures are remembered too).
 *
 * <p>Thread-safe: resolution is synchronized; it may take seconds (a Docker probe, a 10 MB extraction).
 */
final class BinaryResolver {

    private static final System.Logger LOG = System.getLogger(RedisBinary.class.getName());

    private static final Duration VERSION_PROBE_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern VERSION = Pattern.compile("v=(\\S+)");

    /** What the resolution depends on; {@link #current()} reads the real machine. */
    record Environment(
            @Nullable String pathVariable,
            String osName,
            String osArch,
            @Nullable String forcedSource,
            BooleanSupplier dockerAvailable) {

        static Environment current() {
            return new Environment(
                    System.getenv("PATH"),
                    System.getProperty("os.name", ""),
                    System.getProperty("os.arch", ""),
                    System.getProperty(RedisBinary.SOURCE_PROPERTY),
                    () -> DockerClientFactory.instance().isDockerAvailable());
        }
    }

    private final Environment environment;

    private final Map<Source, RedisBinary> resolved = new EnumMap<>(Source.class);

    private final Map<Source, SourceUnavailableException> failed = new EnumMap<>(Source.class);

    BinaryResolver(Environment environment) {
        this.environment = environment;
    }

    /**
     * The forced source if {@value RedisBinary#SOURCE_PROPERTY} is set, else the first usable of PATH, embedded,
     * Testcontainers.
     *
     * @throws IllegalStateException naming every option and why it is unusable, if none is
     */
    synchronized RedisBinary resolveDefault() {
        Optional<Source> forced = parseSource(environment.forcedSource());
        if (forced.isPresent()) {
            return resolve(forced.get());
        }
        List<String> reasons = new ArrayList<>();
        for (Source source : Source.values()) {
            try {
                return locate(source);
            } catch (SourceUnavailableException e) {
                reasons.add(e.getMessage());
            }
        }
        throw new IllegalStateException(noServerMessage(reasons));
    }

    /**
     * The given source, or an {@link IllegalStateException} explaining why it cannot be used on this machine.
     */
    synchronized RedisBinary resolve(Source source) {
        try {
            return locate(source);
        } catch (SourceUnavailableException e) {
            throw new IllegalStateException(
                    "Redis source " + source + " was requested but is unusable: " + e.getMessage(), e);
        }
    }

    static Optional<Source> parseSource(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Source.valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Unknown value '" + value + "' for -D" + RedisBinary.SOURCE_PROPERTY
                    + "; use path, embedded or testcontainers");
        }
    }

    /** The first directory entry of PATH named redis-server that is an executable file. */
    static Optional<Path> findOnPath(@Nullable String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String directory : pathVariable.split(Pattern.quote(File.pathSeparator))) {
            if (directory.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(directory, "redis-server");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry cannot hold redis-server; keep looking
            }
        }
        return Optional.empty();
    }

    private RedisBinary locate(Source source) throws SourceUnavailableException {
        RedisBinary binary = resolved.get(source);
        if (binary != null) {
            return binary;
        }
        SourceUnavailableException failure = failed.get(source);
        if (failure != null) {
            throw failure;
        }
        try {
            binary = materialise(source);
        } catch (SourceUnavailableException e) {
            failed.put(source, e);
            throw e;
        }
        resolved.put(source, binary);
        LOG.log(Level.INFO, "Redis test fixture uses " + binary.description());
        return binary;
    }

    private RedisBinary materialise(Source source) throws SourceUnavailableException {
        switch (source) {
            case PATH:
                return fromPath();
            case EMBEDDED:
                return fromEmbeddedJar();
            case TESTCONTAINERS:
                return fromTestcontainers();
            default:
                throw new AssertionError(source);
        }
    }

    private RedisBinary fromPath() throws SourceUnavailableException {
        Path executable = findOnPath(environment.pathVariable())
                .orElseThrow(() -> new SourceUnavailableException(
                        "redis-server on PATH: not found in PATH=" + environment.pathVariable()));
        String version = probeVersion(executable, "redis-server on PATH");
        return new RedisBinary(
                Source.PATH,
                executable,
                version,
                "redis-server from PATH: " + executable + " (Redis " + version + ")",
                new LocalServerLauncher(executable));
    }

    private RedisBinary fromEmbeddedJar() throws SourceUnavailableException {
        String label = "embedded-redis jar binary";
        String resource = EmbeddedRedisBinary.resourceName(environment.osName(), environment.osArch())
                .orElseThrow(() -> new SourceUnavailableException(label + ": the jar ships no binary for os.name="
                        + environment.osName() + ", os.arch=" + environment.osArch()));
        if (!EmbeddedRedisBinary.isOnClasspath(resource)) {
            throw new SourceUnavailableException(
                    label + ": resource " + resource + " is not on the classpath (is embedded-redis 1.4.4 there?)");
        }
        Path executable;
        try {
            executable = EmbeddedRedisBinary.extract(resource);
        } catch (IOException e) {
            throw new SourceUnavailableException(label + ": cannot extract " + resource + ": " + e, e);
        }
        String version = probeVersion(executable, label);
        return new RedisBinary(
                Source.EMBEDDED,
                executable,
                version,
                "redis-server from the embedded-redis jar: " + executable + " (Redis " + version + ")",
                new LocalServerLauncher(executable));
    }

    private RedisBinary fromTestcontainers() throws SourceUnavailableException {
        boolean available;
        try {
            available = environment.dockerAvailable().getAsBoolean();
        } catch (RuntimeException | LinkageError e) {
            throw new SourceUnavailableException("Testcontainers: Docker probe failed: " + e, e);
        }
        if (!available) {
            throw new SourceUnavailableException("Testcontainers: no reachable Docker engine");
        }
        String image = ContainerServerLauncher.IMAGE;
        return new RedisBinary(
                Source.TESTCONTAINERS,
                null,
                image.substring(image.indexOf(':') + 1),
                "Testcontainers with image " + image,
                new ContainerServerLauncher());
    }

    /** Runs {@code redis-server --version}, which also proves the binary can execute on this machine. */
    private static String probeVersion(Path executable, String label) throws SourceUnavailableException {
        Path output = null;
        try {
            // Output goes to a file so a binary that hangs without printing cannot block us beyond the timeout.
            output = Files.createTempFile("redis-version-", ".txt");
            Process process = new ProcessBuilder(executable.toString(), "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(VERSION_PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SourceUnavailableException(
                        label + ": " + executable + " --version did not finish within " + VERSION_PROBE_TIMEOUT);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).trim();
            Matcher matcher = VERSION.matcher(text);
            if (process.exitValue() != 0 || !matcher.find()) {
                throw new SourceUnavailableException(label + ": " + executable + " --version failed with exit code "
                        + process.exitValue() + ": " + text);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new SourceUnavailableException(label + ": cannot run " + executable + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while probing " + executable, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover few bytes in the temp directory are harmless
                }
            }
        }
    }

    private static String noServerMessage(List<String> reasons) {
        return "No redis-server is available for the tests, and they must not be skipped. Tried, in order:\n - "
                + String.join("\n - ", reasons)
                + "\nFix one of them: install redis-server on PATH (e.g. `apt-get install redis-server` or"
                + " `brew install redis`); run on an OS/arch for which the com.github.codemonstur:embedded-redis jar"
                + " ships a binary (Linux x86_64/arm64/x86, macOS x86_64/arm64); or make a Docker engine reachable"
                + " for Testcontainers. A source can be forced with -D" + RedisBinary.SOURCE_PROPERTY
                + "=path|embedded|testcontainers.";
    }

    /** One source cannot be used here; the message says which and why. */
    static final class SourceUnavailableException extends Exception {

        private static final long serialVersionUID = 1L;

        SourceUnavailableException(String message) {
            super(message);
        }

        SourceUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
