package io.sessionlocking.spring.web;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This JVM's name in lock holder descriptions, which the {@code sessionlocks} look-up, the failure log and Redis show
 * to whoever reads them: by default the application's name and a random id of this JVM, {@code <app>#<8 hex>} (for
 * example {@code shop#5f3a9c1e}), so that no host name or process id is revealed unless {@code
 * session-locking.node-name} says so. The id is drawn once per JVM; the node's own {@code sessionlocks} report shows
 * it, so an operator can tell which node holds a lock.
 */
public final class NodeNames {

    /** Drawn once: every request of this JVM names the same node. Not a secret, only told apart from the others. */
    private static final String INSTANCE_ID =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

    private NodeNames() {}

    /** {@code node#<8 hex>}: the default for an application without a name. */
    public static String local() {
        return of("");
    }

    /** {@code <applicationName>#<8 hex>}, or {@code node#<8 hex>} for a blank name. */
    public static String of(String applicationName) {
        return (applicationName.isBlank() ? "node" : applicationName.strip()) + "#" + INSTANCE_ID;
    }
}
