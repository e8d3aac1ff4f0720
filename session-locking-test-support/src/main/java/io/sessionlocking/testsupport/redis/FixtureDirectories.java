package io.sessionlocking.testsupport.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where the fixture keeps node directories and pid files: {@code target/redis-fixture} of the working directory when
 * a build output directory exists there (so {@code mvn clean} removes everything and each module keeps its own), else
 * {@code sessionlocking-redis-fixture} under {@code java.io.tmpdir}.
 */
final class FixtureDirectories {

    private FixtureDirectories() {}

    static Path root() {
        Path target = Path.of("").toAbsolutePath().resolve("target");
        Path root = Files.isDirectory(target)
                ? target.resolve("redis-fixture")
                : Path.of(System.getProperty("java.io.tmpdir")).resolve("sessionlocking-redis-fixture");
        return createDirectories(root);
    }

    static Path pids() {
        return createDirectories(root().resolve("pids"));
    }

    /** A fresh, uniquely named directory for one node's working files (log, cluster config). */
    static Path newNodeDirectory() {
        try {
            return Files.createTempDirectory(createDirectories(root().resolve("nodes")), "node-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a Redis node directory", e);
        }
    }

    static String tail(Path file, int maxLines) {
        try {
            var lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (NoSuchFileException e) {
            return "(no " + file.getFileName() + ")";
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Best effort: a leftover directory must never fail a test, it is only clutter under target/. */
    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // ignored on purpose, see method comment
        }
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
    }
}
