package io.sessionlocking.testsupport.net;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension managing a {@link TcpProxy}, typically in front of a node of a {@code RedisExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension redis = RedisExtension.perClass();
 *
 * @RegisterExtension
 * final TcpProxyExtension proxy = TcpProxyExtension.to(() -> redis.node().address());
 * }</pre>
 *
 * <p>On an instance field, a fresh proxy starts before each test and closes after it. On a static field, one proxy
 * serves the whole class and is {@linkplain TcpProxy#heal() healed} before each test, so no fault leaks from one test
 * into the next (connections that survived are kept). The target supplier is asked on each connection the proxy
 * accepts, never at registration, so the order in which extensions start does not matter. Test methods, constructors
 * and lifecycle methods may declare a {@link TcpProxy} parameter.
 *
 * <p>Thread-safe for reads; start and close happen in JUnit's lifecycle callbacks. Closing is bounded as in {@link
 * TcpProxy#close()}.
 */
public final class TcpProxyExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Supplier<InetSocketAddress> target;

    private volatile @Nullable TcpProxy proxy;

    /** The class that started a per-class proxy; nested classes reuse it. Null for a per-test proxy. */
    private volatile @Nullable String owner;

    private TcpProxyExtension(Supplier<InetSocketAddress> target) {
        this.target = target;
    }

    /** A proxy to {@code target}, asked for on each accepted connection. */
    public static TcpProxyExtension to(Supplier<InetSocketAddress> target) {
        return new TcpProxyExtension(Objects.requireNonNull(target, "target"));
    }

    /**
     * The current proxy.
     *
     * @throws IllegalStateException outside its lifetime
     */
    public TcpProxy proxy() {
        TcpProxy current = proxy;
        if (current == null) {
            throw new IllegalStateException("No TcpProxy is running: a TcpProxyExtension on an instance field provides"
                    + " one while a test runs, on a static field while its class runs");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Only a static registration gets here: an instance field is registered after beforeAll callbacks ran.
        if (proxy == null) {
            proxy = TcpProxy.start(target);
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(owner)) {
            closeProxy();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TcpProxy current = proxy;
        if (current == null) {
            proxy = TcpProxy.start(target);
        } else if (owner != null) {
            current.heal();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (owner == null) {
            closeProxy();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TcpProxy.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return proxy();
    }

    private void closeProxy() {
        TcpProxy current = proxy;
        proxy = null;
        owner = null;
        if (current != null) {
            current.close();
        }
    }
}
