package io.sessionlocking.benchmarks;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.support.LockScripts;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** One lock + unlock cycle of each kind the scenarios measure: the raw command pairs, and the engine's. */
final class LockCycles {

    private static final Duration RAW_TTL = Duration.ofSeconds(30);

    /** As long as a lock token, so that the raw pair sends as many bytes as the engine's SET. */
    private static final String RAW_VALUE = "0123456789abcdef0123456789abcdef";

    private static final SetArgs RAW_SET_ARGS = SetArgs.Builder.nx().px(RAW_TTL.toMillis());

    private final RedisAsyncCommands<String, String> raw;

    LockCycles(RedisAsyncCommands<String, String> raw) {
        this.raw = raw;
    }

    /** The physical limit: {@code SET key v NX PX ttl} then {@code DEL key}, two round trips, no script. */
    void rawPair(String key) {
        rawSet(key);
        await(raw.del(key));
    }

    /** The physical limit of a safe lock: the engine's two commands, without the engine. */
    void rawScriptPair(String key) {
        rawSet(key);
        Long deleted =
                await(raw.evalsha(LockScripts.RELEASE_SHA, ScriptOutputType.INTEGER, new String[] {key}, RAW_VALUE));
        if (!Long.valueOf(1).equals(deleted)) {
            throw new IllegalStateException("raw compare-and-delete did not delete " + key);
        }
    }

    private void rawSet(String key) {
        if (!"OK".equals(await(raw.set(key, RAW_VALUE, RAW_SET_ARGS)))) {
            throw new IllegalStateException("raw SET NX found " + key + " taken");
        }
    }

    /**
     * {@link SpinLockProvider} acquire + release of a session id on {@code store}, with the default settings; a
     * release that fails throws {@code releaseFailure}.
     */
    static Consumer<String> engine(LockStore store, String releaseFailure) {
        SpinLockProvider provider = new SpinLockProvider(store, LockSettings.defaults());
        return sessionId -> {
            SessionLock lock = provider.acquire(sessionId);
            if (!lock.release()) {
                throw new IllegalStateException(releaseFailure);
            }
        };
    }

    /** The reply of a raw command, waited for as the lock stores wait for theirs. */
    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("raw command failed", e);
        }
    }
}
