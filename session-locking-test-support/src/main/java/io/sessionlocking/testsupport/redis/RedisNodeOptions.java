package io.sessionlocking.testsupport.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to start a {@link RedisNode}: extra redis-server arguments and, optionally, a specific {@link RedisBinary}.
 * Immutable and thread-safe; every {@code with*} method returns a new instance.
 */
public final class RedisNodeOptions {

    private static final RedisNodeOptions DEFAULTS = new RedisNodeOptions(List.of(), null);

    private final List<String> args;

    private final @Nullable RedisBinary binary;

    private RedisNodeOptions(List<String> args, @Nullable RedisBinary binary) {
        this.args = List.copyOf(args);
        this.binary = binary;
    }

    /** No extra arguments, the JVM-wide {@link RedisBinary#resolve()}. */
    public static RedisNodeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Appends redis-server command-line arguments, e.g. {@code withArgs("--maxmemory", "10mb")}. They come after the
     * fixture's own ({@code --port}, {@code --bind}, {@code --dir}, ...), so they can override all but the port.
     */
    public RedisNodeOptions withArgs(String... extraArgs) {
        List<String> combined = new ArrayList<>(args);
        combined.addAll(Arrays.asList(extraArgs));
        return new RedisNodeOptions(combined, binary);
    }

    /** Uses this binary instead of the JVM-wide default, e.g. {@code RedisBinary.resolve(Source.EMBEDDED)}. */
    public RedisNodeOptions withBinary(RedisBinary redisBinary) {
        return new RedisNodeOptions(args, redisBinary);
    }

    public List<String> args() {
        return args;
    }

    /** The binary set with {@link #withBinary}, empty for the JVM-wide default. */
    public Optional<RedisBinary> binary() {
        return Optional.ofNullable(binary);
    }

    /** Cluster nodes also bind port + 10000 (the cluster bus), which must then be free as well. */
    boolean clusterEnabled() {
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--cluster-enabled") && args.get(i + 1).equalsIgnoreCase("yes")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "RedisNodeOptions[args=" + args + ", binary=" + (binary == null ? "default" : binary) + "]";
    }
}
