package io.sessionlocking.cache.redis;

import io.lettuce.core.RedisURI;
import io.sessionlocking.cache.AbstractRegenerationGuardContractTests;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guard contract on Redis: each "node" is a client of its own. */
class LettuceEntryStoreIntegrationTests extends AbstractRegenerationGuardContractTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private final List<LettuceEntryStores.Managed> stores = new ArrayList<>();

    @Override
    protected EntryStore newStore() {
        LettuceEntryStores.Managed managed = LettuceEntryStores.connect(RedisURI.create(redis.uri()));
        stores.add(managed);
        return managed.store();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(LettuceEntryStores.Managed::close);
    }
}
