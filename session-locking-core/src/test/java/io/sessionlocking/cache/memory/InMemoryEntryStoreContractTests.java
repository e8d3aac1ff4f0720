package io.sessionlocking.cache.memory;

import io.sessionlocking.cache.AbstractRegenerationGuardContractTests;
import io.sessionlocking.cache.EntryStore;

/** The guard contract on the in-memory store: every "node" shares the one store, as threads of one JVM do. */
class InMemoryEntryStoreContractTests extends AbstractRegenerationGuardContractTests {

    private final InMemoryEntryStore store = new InMemoryEntryStore();

    @Override
    protected EntryStore newStore() {
        return store;
    }
}
