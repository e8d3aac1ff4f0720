package io.sessionlocking.testsupport.redis;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension managing one {@link RedisCluster} per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension redis = RedisClusterExtension.perClass();
 * }</pre>
 *
 * <p>The cluster starts before all tests (register on a static field) and closes after them. Before each test, the
 * cluster is {@linkplain RedisCluster#restore restored} as started: nodes left killed, stopped or paused by an earlier
 * test are brought back, paused replication resumes, masters that were failed over get their slots back, and the
 * extension waits (bounded by 30 s per step) until the cluster is healthy; data is kept (call {@code
 * cluster.flushAll()} if tests need empty databases). A cluster left as started costs one health check; one left
 * failed over about two node timeouts, so that a failover in the next test takes as long as on a fresh cluster. Test
 * methods, constructors and lifecycle methods may declare a {@link RedisCluster} parameter.
 *
 * <p>Thread-safe for reads; start and close happen in JUnit's lifecycle callbacks.
 */
public final class RedisClusterExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(30);

    private final RedisClusterOptions options;

    private volatile @Nullable RedisCluster cluster;

    /** The class that started the cluster; nested classes reuse it rather than start their own. */
    private volatile @Nullable String owner;

    private RedisClusterExtension(RedisClusterOptions options) {
        this.options = options;
    }

    /** Three masters without replicas. */
    public static RedisClusterExtension perClass() {
        return perClass(RedisClusterOptions.defaults());
    }

    /** Nodes use {@code options} (binary, extra arguments) in addition to the cluster arguments. */
    public static RedisClusterExtension perClass(RedisNodeOptions options) {
        return perClass(RedisClusterOptions.defaults().withNodeOptions(options));
    }

    /** A cluster as {@code options} say, e.g. {@code RedisClusterOptions.defaults().withReplicasPerMaster(1)}. */
    public static RedisClusterExtension perClass(RedisClusterOptions options) {
        return new RedisClusterExtension(options);
    }

    /**
     * The running cluster.
     *
     * @throws IllegalStateException outside its lifetime (e.g. when registered on a non-static field)
     */
    public RedisCluster cluster() {
        RedisCluster current = cluster;
        if (current == null) {
            throw new IllegalStateException("No Redis cluster is running: " + usage());
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (cluster == null) {
            cluster = RedisCluster.start(options);
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisCluster current = cluster;
        if (current != null && context.getUniqueId().equals(owner)) {
            cluster = null;
            owner = null;
            current.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RedisCluster current = cluster;
        if (current == null) {
            throw new ExtensionConfigurationException(usage());
        }
        current.restore(HEAL_TIMEOUT);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster();
    }

    private static String usage() {
        return "RedisClusterExtension.perClass() must be registered on a static field (@RegisterExtension static final)";
    }
}
