package io.sessionlocking.benchmarks;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sessionlocking.core.AttemptRequest;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.support.LockKeys;
import io.sessionlocking.support.LockScripts;
import java.time.Duration;
import java.util.List;
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
        // The raw script pair sends them by SHA, as the engine does once they are cached.
        await(raw.scriptLoad(LockScripts.ACQUIRE));
        await(raw.scriptLoad(LockScripts.RELEASE));
    }

    /** The physical limit: {@code SET key v NX PX ttl} then {@code DEL key}, two round trips, no script. */
    void rawPair(String key) {
        rawSet(key);
        await(raw.del(key));
    }

    /**
     * The physical limit of a safe lock: the engine's two commands (its acquire script on a free lock, its release
     * script), without the engine.
     */
    void rawScriptPair(String key) {
        String[] keys = {key, LockKeys.waitersKey(key)};
        String ttl = Long.toString(RAW_TTL.toMillis());
        List<Object> taken = await(raw.evalsha(
                LockScripts.ACQUIRE_SHA,
                ScriptOutputType.MULTI,
                keys,
                RAW_VALUE,
                ttl,
                LockScripts.mode(AttemptRequest.Queueing.POLL),
                "1",
                ttl));
        if (!Long.valueOf(1).equals(taken.get(0))) {
            throw new IllegalStateException("raw acquire script found " + key + " taken");
        }
        Long released = await(raw.evalsha(LockScripts.RELEASE_SHA, ScriptOutputType.INTEGER, keys, RAW_VALUE, ttl));
        if (!Long.valueOf(1).equals(released)) {
            throw new IllegalStateException("raw release script did not release " + key);
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
