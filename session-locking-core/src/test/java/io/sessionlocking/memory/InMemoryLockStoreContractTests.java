package io.sessionlocking.memory;

import io.sessionlocking.core.AbstractSessionLockProviderContractTests;
import io.sessionlocking.core.LockStore;

/** The lock contract on the in-memory store: every "client" shares the one store, as threads of one JVM do. */
class InMemoryLockStoreContractTests extends AbstractSessionLockProviderContractTests {

    private final InMemoryLockStore store = new InMemoryLockStore();

    @Override
    protected LockStore newStore() {
        return store;
    }
}
