package io.sessionlocking.cache.memory;

import io.sessionlocking.cache.EntryKey;
import io.sessionlocking.cache.EntryStore;
import io.sessionlocking.cache.EntryWatchers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EntryStore} in this JVM's memory, with the semantics of the Redis scripts (the contract tests run both):
 * for a single node, and for tests that move time with an injected clock. Every operation holds the store's monitor,
 * so it is atomic; notifications run after it is released. Thread-safe.
 */
public final class InMemoryEntryStore implements EntryStore {

    private static final long NEVER = -1;

    private final LongSupplier clock;
    private final Map<EntryKey, Entry> entries = new HashMap<>();
    private final EntryWatchers watchers = new EntryWatchers();

    public InMemoryEntryStore() {
        this(System::currentTimeMillis);
    }

    /** A store whose "server time" is {@code clockMillis}, in milliseconds. */
    public InMemoryEntryStore(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    private static final class Entry {
        byte @Nullable [] value;
        long fresh;
        long staleWhileRevalidate;
        long staleIfError;
        long delta;

        @Nullable
        String token;

        long lockUntil;
        long generation;
        long failed;
        boolean awaited;
        long expiresAt = Long.MAX_VALUE;

        boolean held(long now) {
            return token != null && lockUntil > now;
        }
    }

    @Override
    public Read read(byte[] key, ReadRequest request, Duration timeout) {
        synchronized (this) {
            long now = clock.getAsLong();
            Entry entry = live(key, now);
            long ttl = request.lockTtl().toMillis();
            byte[] value = entry != null ? entry.value : null;
            long delta = entry != null ? entry.delta : 0;
            boolean held = entry != null && entry.held(now);
            if (entry != null && value != null) {
                if (entry.fresh == NEVER || now < entry.fresh) {
                    if (entry.fresh != NEVER
                            && request.mayLock()
                            && request.earlyFactor() > 0
                            && !held
                            && now + delta * request.earlyFactor() >= entry.fresh) {
                        return read(State.REFRESH, value, lock(key, entry, request.token(), now, ttl));
                    }
                    return read(State.FRESH, value, entry);
                }
                if (now < entry.staleWhileRevalidate) {
                    if (held || !request.mayLock()) {
                        return read(State.STALE, value, entry);
                    }
                    return read(State.REVALIDATE, value, lock(key, entry, request.token(), now, ttl));
                }
            }
            byte[] copy = entry != null && value != null && now < entry.staleIfError ? value : null;
            if (!request.mayLock()) {
                return new Read(State.MISS, copy, Duration.ofMillis(delta), entry != null ? entry.generation : 0);
            }
            if (entry != null && request.awaitedGeneration() > 0 && entry.failed >= request.awaitedGeneration()) {
                return read(State.FAILED, copy, entry);
            }
            if (held) {
                entry.awaited = true;
                return read(State.WAIT, copy, entry);
            }
            return read(State.LOAD, copy, lock(key, entry, request.token(), now, ttl));
        }
    }

    @Override
    public boolean fill(byte[] key, String token, byte[] value, Expiry expiry, Duration delta, Duration timeout) {
        boolean notify;
        synchronized (this) {
            long now = clock.getAsLong();
            Entry entry = live(key, now);
            if (entry == null || !token.equals(entry.token)) {
                return false;
            }
            notify = store(key, entry, value, expiry, delta.toMillis(), now);
        }
        notifyIf(notify, key);
        return true;
    }

    @Override
    public void put(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
        boolean notify;
        synchronized (this) {
            long now = clock.getAsLong();
            Entry entry = live(key, now);
            notify = store(key, entry, value, expiry, entry != null ? entry.delta : 0, now);
        }
        notifyIf(notify, key);
    }

    @Override
    public byte @Nullable [] putIfAbsent(byte[] key, byte[] value, Expiry expiry, Duration timeout) {
        boolean notify;
        synchronized (this) {
            long now = clock.getAsLong();
            Entry entry = live(key, now);
            if (entry != null && entry.value != null && (entry.fresh == NEVER || now < entry.fresh)) {
                return entry.value;
            }
            notify = store(key, entry, value, expiry, entry != null ? entry.delta : 0, now);
        }
        notifyIf(notify, key);
        return null;
    }

    @Override
    public boolean fail(byte[] key, String token, Duration timeout) {
        return unlock(key, token, true);
    }

    @Override
    public boolean release(byte[] key, String token, Duration timeout) {
        return unlock(key, token, false);
    }

    @Override
    public synchronized boolean extend(byte[] key, String token, Duration lockTtl, Duration timeout) {
        long now = clock.getAsLong();
        Entry entry = live(key, now);
        if (entry == null || !token.equals(entry.token)) {
            return false;
        }
        entry.lockUntil = now + lockTtl.toMillis();
        entry.expiresAt = Math.max(entry.expiresAt, entry.lockUntil);
        return true;
    }

    @Override
    public synchronized boolean markStale(byte[] key, Expiry expiry, Duration timeout) {
        long now = clock.getAsLong();
        Entry entry = live(key, now);
        if (entry == null || entry.value == null) {
            return false;
        }
        entry.fresh = now;
        entry.staleWhileRevalidate = now + expiry.staleWhileRevalidate().toMillis();
        entry.staleIfError = Math.max(
                entry.staleIfError == NEVER ? now : entry.staleIfError,
                now + expiry.staleIfError().toMillis());
        entry.expiresAt = Math.max(
                Math.max(entry.staleWhileRevalidate, entry.staleIfError), entry.held(now) ? entry.lockUntil : 0);
        return true;
    }

    @Override
    public synchronized boolean evict(byte[] key, Duration timeout) {
        return entries.remove(new EntryKey(key)) != null;
    }

    @Override
    public Watch watch(byte[] key, Runnable onChange) {
        return watchers.watch(key, onChange);
    }

    @Override
    public String name() {
        return "memory";
    }

    private @Nullable Entry live(byte[] key, long now) {
        EntryKey k = new EntryKey(key);
        Entry entry = entries.get(k);
        if (entry != null && entry.expiresAt <= now) {
            entries.remove(k);
            return null;
        }
        return entry;
    }

    private Entry lock(byte[] key, @Nullable Entry existing, String token, long now, long ttl) {
        Entry entry = existing;
        if (entry == null) {
            entry = new Entry();
            entry.expiresAt = now + ttl;
            entries.put(new EntryKey(key.clone()), entry);
        }
        entry.generation++;
        entry.token = token;
        entry.lockUntil = now + ttl;
        if (entry.expiresAt != Long.MAX_VALUE || entry.value == null) {
            entry.expiresAt = Math.max(entry.expiresAt, now + ttl);
        }
        return entry;
    }

    /** Replaces the entry by a value; whether awaiting watchers must be told. */
    private boolean store(byte[] key, @Nullable Entry previous, byte[] value, Expiry expiry, long delta, long now) {
        Entry entry = new Entry();
        entry.value = value.clone();
        entry.delta = delta;
        entry.generation = previous != null ? previous.generation : 0;
        long ttl = expiry.ttl().toMillis();
        if (ttl == 0) {
            entry.fresh = NEVER;
            entry.staleWhileRevalidate = NEVER;
            entry.staleIfError = NEVER;
        } else {
            entry.fresh = now + ttl;
            entry.staleWhileRevalidate =
                    entry.fresh + expiry.staleWhileRevalidate().toMillis();
            entry.staleIfError = entry.fresh + expiry.staleIfError().toMillis();
            entry.expiresAt = Math.max(entry.staleWhileRevalidate, entry.staleIfError);
        }
        entries.put(new EntryKey(key.clone()), entry);
        return previous != null && previous.awaited;
    }

    private boolean unlock(byte[] key, String token, boolean failed) {
        boolean notify;
        synchronized (this) {
            Entry entry = live(key, clock.getAsLong());
            if (entry == null || !token.equals(entry.token)) {
                return false;
            }
            entry.token = null;
            entry.lockUntil = 0;
            if (failed) {
                entry.failed = entry.generation;
            }
            notify = entry.awaited;
            entry.awaited = false;
        }
        notifyIf(notify, key);
        return true;
    }

    private void notifyIf(boolean notify, byte[] key) {
        if (!notify) {
            return;
        }
        watchers.changed(key);
    }

    private static Read read(State state, byte @Nullable [] value, Entry entry) {
        return new Read(state, value, Duration.ofMillis(entry.delta), entry.generation);
    }
}
