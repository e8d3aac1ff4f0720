package io.sessionlocking.testsupport.redis;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension managing a {@link RedisNode}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension redis = RedisExtension.perClass();
 * }</pre>
 *
 * <p>{@link #perClass()} starts one node before all tests of the class (it must be registered on a static field) and
 * closes it after them; before each test, a node left killed, stopped or paused by an earlier test is brought back,
 * but its data is kept (call {@code redis.node().flushAll()} if tests need an empty database). {@link #perTest()}
 * starts a fresh node before each test and closes it after it. Test methods, constructors and lifecycle methods may
 * declare a {@link RedisNode} parameter to receive the node.
 *
 * <p>Thread-safe for reads; start and close happen in JUnit's lifecycle callbacks. Startup is bounded as in
 * {@link RedisNode#start()}.
 */
public final class RedisExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final boolean perClass;

    private final RedisNodeOptions options;

    private volatile @Nullable RedisNode node;

    /** The container (class) that started a per-class node; nested classes reuse it rather than start their own. */
    private volatile @Nullable String owner;

    private RedisExtension(boolean perClass, RedisNodeOptions options) {
        this.perClass = perClass;
        this.options = options;
    }

    /** One node shared by all tests of the class; register on a {@code static} field. */
    public static RedisExtension perClass() {
        return perClass(RedisNodeOptions.defaults());
    }

    public static RedisExtension perClass(RedisNodeOptions options) {
        return new RedisExtension(true, options);
    }

    /** A fresh node for every test method. */
    public static RedisExtension perTest() {
        return perTest(RedisNodeOptions.defaults());
    }

    public static RedisExtension perTest(RedisNodeOptions options) {
        return new RedisExtension(false, options);
    }

    /**
     * The current node.
     *
     * @throws IllegalStateException outside the node's lifetime (e.g. a per-class extension on a non-static field)
     */
    public RedisNode node() {
        RedisNode current = node;
        if (current == null) {
            throw new IllegalStateException("No Redis node is running: " + usage());
        }
        return current;
    }

    /** Shortcut for {@code node().uri()}. */
    public String uri() {
        return node().uri();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass && node == null) {
            node = RedisNode.start(options);
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass && context.getUniqueId().equals(owner)) {
            closeNode();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            node = RedisNode.start(options);
            return;
        }
        RedisNode current = node;
        if (current == null) {
            throw new ExtensionConfigurationException(usage());
        }
        if (current.isPaused()) {
            current.resume();
        }
        if (!current.isRunning()) {
            current.restart();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeNode();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return node();
    }

    private void closeNode() {
        RedisNode current = node;
        node = null;
        owner = null;
        if (current != null) {
            current.close();
        }
    }

    private String usage() {
        return perClass
                ? "RedisExtension.perClass() must be registered on a static field (@RegisterExtension static final)"
                : "RedisExtension.perTest() provides a node only while a test method runs";
    }
}
