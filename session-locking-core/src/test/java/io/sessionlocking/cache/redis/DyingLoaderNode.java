package io.sessionlocking.cache.redis;

import io.lettuce.core.RedisURI;
import io.sessionlocking.cache.RegenerationGuard;
import io.sessionlocking.cache.RegenerationGuards;
import io.sessionlocking.cache.RegenerationSettings;
import io.sessionlocking.cache.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A node that starts regenerating a key and never finishes: run in a JVM of its own by {@link
 * LettuceEntryStoreIntegrationTests}, which kills it with SIGKILL while its loader runs. Prints {@value #LOADING} once
 * its loader holds the lock. Arguments: Redis URI, key, lock TTL in ms.
 */
public final class DyingLoaderNode {

    static final String LOADING = "LOADING";

    private DyingLoaderNode() {}

    public static void main(String[] args) {
        RegenerationSettings settings = RegenerationSettings.builder()
                .lockTtl(Duration.ofMillis(Long.parseLong(args[2])))
                .build();
        LettuceEntryStores.Managed store = LettuceEntryStores.connect(RedisURI.create(args[0]));
        RegenerationGuard<String> guard =
                RegenerationGuards.builder(store.store()).build().guard("reports", settings, ValueCodec.utf8());
        guard.get(args[1].getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1), () -> {
            System.out.println(LOADING);
            System.out.flush();
            new CountDownLatch(1).await();
            return "never";
        });
    }
}
