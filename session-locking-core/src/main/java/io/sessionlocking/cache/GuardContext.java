package io.sessionlocking.cache;

import io.sessionlocking.cache.EntryStore.Expiry;
import io.sessionlocking.cache.EntryStore.ReadRequest;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** What the parts of one guard share: its cache name, store, settings and the machinery of its factory. */
record GuardContext(
        String cache,
        EntryStore store,
        RegenerationSettings settings,
        RegenerationListener listener,
        Renewals renewals,
        Executor refreshes,
        InFlightRegenerations inFlight,
        Flights flights,
        AtomicInteger waiting) {

    /** A read that may take the lock; the first read of a caller draws the XFetch factor, a waiter's never does. */
    ReadRequest lockingRead(String token, boolean drawEarlyFactor, long awaitedGeneration) {
        double factor = drawEarlyFactor && settings.earlyRefresh()
                ? XFetch.factor(
                        settings.earlyRefreshBeta(),
                        1.0 - ThreadLocalRandom.current().nextDouble())
                : 0;
        return new ReadRequest(token, settings.lockTtl(), factor, awaitedGeneration, true);
    }

    ReadRequest peek() {
        return new ReadRequest("", settings.lockTtl(), 0, 0, false);
    }

    Expiry expiry(Duration ttl) {
        return new Expiry(ttl, settings.staleWhileRevalidate(), settings.staleIfError());
    }

    RegenerationException error(RegenerationException.Reason reason, String message, @Nullable Throwable cause) {
        return new RegenerationException(reason, cache, message, cause);
    }
}
