package io.sessionlocking.spring.redis;

import io.sessionlocking.core.AttemptOutcome;
import io.sessionlocking.core.LockAttempt;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SessionLockProvider.Acquisition;
import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SaveAction;
import io.sessionlocking.spring.web.SessionAccess;
import io.sessionlocking.spring.web.SessionLockingRepository;
import io.sessionlocking.support.SessionIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.session.FlushMode;
import org.springframework.session.MapSession;
import org.springframework.session.SaveMode;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.UuidSessionIdGenerator;

/**
 * A Redis {@link SessionRepository} whose lock lives inside the session it guards: Spring Session's own non-indexed
 * data model (so plain {@code RedisSessionRepository} nodes read and write the same sessions), with the request's lock
 * as one more field of the session hash. Every operation is one script on one key, so it runs on Redis Cluster with
 * no hash tag and no cross-slot command.
 *
 * <h2>Round trips of a locked request</h2>
 *
 * <ul>
 *   <li>{@code findById} of an existing session: one {@code EVALSHA} that takes the lock (free, expired or already
 *       this request's) and returns the session in the same reply; while another request holds it, the reply says who
 *       and for how long, and the engine waits and tries again. A missing session costs one round trip and leaves no
 *       lock state behind.
 *   <li>{@code save}: one {@code EVALSHA} that checks the lock is still the request's (a fenced write: otherwise
 *       nothing is written and {@code on-lost-lock} applies), writes the changed and removed attributes only, sets the
 *       expiry, and, at the request's first save from Spring Session (the response commit or the end of its filter),
 *       releases the lock in the same script. A later change of the same request (after the response was committed)
 *       lands only while no other request has taken the lock since.
 *   <li>{@code changeSessionId} (a login), saved: the new session is created whole with the lock already in it (locked
 *       from the moment it exists), then the old one is deleted if its lock is still the request's; if not, the new
 *       one is deleted again and the save fails. On a Cluster the two ids live in different slots, so these are two
 *       scripts: no interleaving loses the session or leaves it unlocked, and a crash between them leaves the old
 *       session until it expires.
 *   <li>{@code deleteById}: one {@code DEL}, session and lock in one step; waiters find no session.
 * </ul>
 *
 * Outside a request (a background job, JMX) nothing is locked and writes are plain Spring Session writes. A request
 * served read-only loads the session with one {@code HGETALL} and only refreshes its expiry ({@link
 * SessionHashScripts#TOUCH}).
 *
 * <h2>Storage details</h2>
 *
 * Key {@code <namespace>:sessions:<id>}, a hash: {@code creationTime}, {@code lastAccessedTime}, {@code
 * maxInactiveInterval}, {@code sessionAttr:<name>} (values by the session serializer, see {@link SessionHashCodec}) and
 * the lock field {@code sessionLock:<expiresAtMillis>:<owner>} with an empty value (see {@link SessionHashScripts}).
 * The key expires at last access + max inactive interval, as Spring Session's does (never, for a negative interval).
 *
 * <p>Thread-safe; its sessions are used by one request at a time.
 */
public class LockingRedisSessionRepository implements SessionRepository<LockingRedisSession>, SessionLockingRepository {

    private final SessionHashCommands commands;
    private final SessionHashLockStore store;
    private final SessionHashCodec codec;
    private final SessionLockProvider provider;
    private final String keyPrefix;
    private final LockAttempt<List<Object>> lockAndLoad;
    private final Access access = new Access();

    private Duration defaultMaxInactiveInterval = MapSession.DEFAULT_MAX_INACTIVE_INTERVAL;
    private FlushMode flushMode = FlushMode.ON_SAVE;
    private SaveMode saveMode = SaveMode.ON_SET_ATTRIBUTE;
    private SessionIdGenerator sessionIdGenerator = UuidSessionIdGenerator.getInstance();

    /**
     * @param store the session-hash lock store that {@code provider} was built on (see {@link
     *     LockingRedisSessions#provider})
     * @param provider the lock engine on {@code store}, whose key layout is this repository's session keys
     * @param codec the session serializer's view of the hash
     * @param namespace Spring Session's key namespace, e.g. {@code spring:session}
     */
    LockingRedisSessionRepository(
            SessionHashCommands commands,
            SessionHashLockStore store,
            SessionLockProvider provider,
            SessionHashCodec codec,
            String namespace) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.store = Objects.requireNonNull(store, "store");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.keyPrefix = sessionKeyPrefix(namespace);
        this.lockAndLoad = store.lockAndLoad();
    }

    /** {@code <namespace>:sessions:}, the prefix of every session key. */
    static String sessionKeyPrefix(String namespace) {
        return namespace.trim() + ":sessions:";
    }

    /** The max inactive interval of new sessions; negative: they never expire. Default 30 minutes. */
    public void setDefaultMaxInactiveInterval(Duration defaultMaxInactiveInterval) {
        this.defaultMaxInactiveInterval = Objects.requireNonNull(defaultMaxInactiveInterval);
    }

    /** {@link FlushMode#ON_SAVE} (default) or {@link FlushMode#IMMEDIATE}: every change written (fenced) at once. */
    public void setFlushMode(FlushMode flushMode) {
        this.flushMode = Objects.requireNonNull(flushMode);
    }

    /** Which attributes a save writes; as Spring Session's {@link SaveMode}, default {@code ON_SET_ATTRIBUTE}. */
    public void setSaveMode(SaveMode saveMode) {
        this.saveMode = Objects.requireNonNull(saveMode);
    }

    public void setSessionIdGenerator(SessionIdGenerator sessionIdGenerator) {
        this.sessionIdGenerator = Objects.requireNonNull(sessionIdGenerator);
    }

    FlushMode flushMode() {
        return flushMode;
    }

    SaveMode saveMode() {
        return saveMode;
    }

    String generateId() {
        return sessionIdGenerator.generate();
    }

    String sessionKey(String id) {
        return keyPrefix + id;
    }

    // --------------------------------------------------------------------------------------------------- the API

    @Override
    public LockingRedisSession createSession() {
        MapSession cached = new MapSession(sessionIdGenerator);
        cached.setMaxInactiveInterval(defaultMaxInactiveInterval);
        LockingRedisSession session = new LockingRedisSession(this, cached, true, RequestSessionLock.current());
        if (flushMode == FlushMode.IMMEDIATE) {
            flush(session);
        }
        return session;
    }

    @Override
    public @Nullable LockingRedisSession findById(String id) {
        RequestSessionLock request = RequestSessionLock.current();
        if (request != null) {
            return request.load(id, access);
        }
        return SessionIds.isValid(id) ? access.loadUnlocked(id) : null;
    }

    @Override
    public void save(LockingRedisSession session) {
        write(session, true);
    }

    /** Writes one change at once ({@link FlushMode#IMMEDIATE}); never releases the lock. */
    void flush(LockingRedisSession session) {
        write(session, false);
    }

    @Override
    public void deleteById(String id) {
        if (!SessionIds.isValid(id)) {
            return;
        }
        commands.delete(sessionKey(id));
        RequestSessionLock request = RequestSessionLock.current();
        if (request != null) {
            request.deleted(id);
        }
    }

    // --------------------------------------------------------------------------------------------------- writing

    private void write(LockingRedisSession session, boolean repositorySave) {
        RequestSessionLock request = session.request();
        if (session.isNew() && request != null && request.canAdopt()) {
            createLocked(session, request, repositorySave && request.releasesAtSave());
            return;
        }
        SaveAction action = request == null ? SaveAction.UNLOCKED : request.saveAction(session, repositorySave);
        switch (action.kind()) {
            case WRITE_FENCED_AND_RELEASE -> writeFenced(session, action.requireLock(), request, true);
            case WRITE_FENCED -> writeFenced(session, action.requireLock(), request, false);
            case WRITE_UNLOCKED -> writeUnlocked(session);
            case REFRESH_EXPIRY -> refreshExpiry(session, Objects.requireNonNull(action.loadedId()));
            case DISCARD -> session.saved();
        }
    }

    /** A new session of a request: created with the request's lock in it, held or (at this save) released already. */
    private void createLocked(LockingRedisSession session, RequestSessionLock request, boolean release) {
        Map<String, byte[]> fields = encode(session.allFields());
        LockAttempt<Boolean> create = attempt -> {
            long reply = commands.create(
                    attempt.key(),
                    attempt.ownerValue(),
                    lockAction(release),
                    attempt.ttl(),
                    session.expireAtMillis(),
                    fields);
            requireCreated(reply, session);
            return AttemptOutcome.acquired(Boolean.TRUE);
        };
        Acquisition<Boolean> created = provider.acquire(session.getId(), request.holderInfo(), create);
        SessionLock lock = Objects.requireNonNull(created, "a create attempt is never absent")
                .lock();
        session.saved();
        request.adopt(session, lock, release);
    }

    private void writeFenced(
            LockingRedisSession session, SessionLock lock, @Nullable RequestSessionLock request, boolean release) {
        Objects.requireNonNull(request, "a fenced write belongs to a request");
        if (session.hasChangedId()) {
            renameFenced(session, lock, request, release);
            return;
        }
        if (!release && session.delta().isEmpty()) {
            return; // nothing to write, and the lock stays as it is
        }
        Map<String, byte[]> set = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        splitDelta(session.delta(), set, delete);
        Duration ttl = provider.settings().lockTtl();
        long expireAt = session.expireAtMillis();
        SessionHashCommands.LockAction action = lockAction(release);
        Duration longestWait = store.longestWait();
        FencedWrite write = (key, owner) -> commands.save(key, owner, action, ttl, longestWait, expireAt, set, delete);
        Long released = release ? lock.releaseWith(write, r -> r == SessionHashCommands.WRITTEN) : null;
        // A handle released meanwhile (null) runs nothing: the write still goes through the fence, which refuses it
        // as lost unless the lock is somehow still this handle's, never as "no session".
        long reply = released != null ? released : lock.fenced(write, r -> r != SessionHashCommands.NOT_OWNER);
        settle(reply, session, request, release);
    }

    /** A login's id change: the new session first, with the lock in it, then the old one, if still the request's. */
    private void renameFenced(
            LockingRedisSession session, SessionLock oldLock, RequestSessionLock request, boolean release) {
        Map<String, byte[]> fields = encode(session.allFields());
        LockAttempt<Boolean> create = attempt -> {
            long reply = commands.create(
                    attempt.key(),
                    attempt.ownerValue(),
                    lockAction(release),
                    attempt.ttl(),
                    session.expireAtMillis(),
                    fields);
            requireCreated(reply, session);
            return AttemptOutcome.acquired(Boolean.TRUE);
        };
        Acquisition<Boolean> created = provider.acquire(session.getId(), request.holderInfo(), create);
        SessionLock newLock = Objects.requireNonNull(created, "a create attempt is never absent")
                .lock();
        FencedWrite deleteOld = (key, owner) -> commands.deleteIfOwned(key, owner);
        Long deleted = oldLock.releaseWith(deleteOld, r -> r == SessionHashCommands.WRITTEN);
        long reply = deleted != null ? deleted : oldLock.fenced(deleteOld, r -> r != SessionHashCommands.NOT_OWNER);
        if (reply != SessionHashCommands.WRITTEN) {
            // Undo: the new session must not outlive an old one that is gone or no longer ours.
            newLock.releaseWith(
                    (key, owner) -> commands.deleteIfOwned(key, owner), r -> r == SessionHashCommands.WRITTEN);
            settle(reply, session, request, true);
            return;
        }
        session.saved();
        request.renamed(session, newLock, release);
    }

    private void writeUnlocked(LockingRedisSession session) {
        if (session.isNew()) {
            requireCreated(
                    commands.create(
                            sessionKey(session.getId()),
                            null,
                            SessionHashCommands.LockAction.KEEP,
                            provider.settings().lockTtl(),
                            session.expireAtMillis(),
                            encode(session.allFields())),
                    session);
            session.saved();
            return;
        }
        if (session.hasChangedId()) {
            renameUnlocked(session);
            return;
        }
        Map<String, byte[]> set = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        splitDelta(session.delta(), set, delete);
        long reply = commands.save(
                sessionKey(session.getId()),
                null,
                SessionHashCommands.LockAction.KEEP,
                provider.settings().lockTtl(),
                Duration.ZERO,
                session.expireAtMillis(),
                set,
                delete);
        if (reply == SessionHashCommands.NO_SESSION) {
            throw new IllegalStateException("Session was invalidated");
        }
        session.saved();
    }

    private void renameUnlocked(LockingRedisSession session) {
        String newKey = sessionKey(session.getId());
        requireCreated(
                commands.create(
                        newKey,
                        null,
                        SessionHashCommands.LockAction.KEEP,
                        provider.settings().lockTtl(),
                        session.expireAtMillis(),
                        encode(session.allFields())),
                session);
        if (commands.deleteIfOwned(sessionKey(session.storedId()), null) != SessionHashCommands.WRITTEN) {
            commands.delete(newKey); // the old session is gone (deleted or renamed meanwhile): so is this one
            throw new IllegalStateException("Session was invalidated");
        }
        session.saved();
    }

    /** A read-only request writes its last-accessed time and expiry, never its attributes or a deleted session. */
    private void refreshExpiry(LockingRedisSession session, String loadedId) {
        if (session.hasChangedId()) {
            writeUnlocked(session); // a login on a read-only request: dropping the new id would log the user out
            return;
        }
        commands.touch(
                sessionKey(loadedId),
                codec.encode(session.getLastAccessedTime().toEpochMilli()),
                session.expireAtMillis());
        session.saved();
    }

    /** Applies the reply of a fenced write: done, the session is gone, or the lock is no longer the request's. */
    private void settle(long reply, LockingRedisSession session, RequestSessionLock request, boolean released) {
        if (reply == SessionHashCommands.WRITTEN) {
            session.saved();
            if (released) {
                request.releasedBySave();
            }
        } else if (reply == SessionHashCommands.NO_SESSION) {
            request.deleted(session.storedId());
            throw new IllegalStateException("Session was invalidated");
        } else {
            session.saved(); // nothing of it will ever be written
            request.lost(SessionIds.mask(session.getId()));
        }
    }

    private void requireCreated(long reply, LockingRedisSession session) {
        if (reply == SessionHashCommands.EXISTS_ALREADY) {
            throw new IllegalStateException(
                    "A session with id " + SessionIds.mask(session.getId()) + " exists already; not overwritten");
        }
    }

    private void splitDelta(Map<String, @Nullable Object> delta, Map<String, byte[]> set, List<String> delete) {
        delta.forEach((field, value) -> {
            if (value == null) {
                delete.add(field);
            } else {
                set.put(field, codec.encode(value));
            }
        });
    }

    private Map<String, byte[]> encode(Map<String, @Nullable Object> fields) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        fields.forEach((field, value) -> encoded.put(field, codec.encode(value)));
        return encoded;
    }

    private static SessionHashCommands.LockAction lockAction(boolean release) {
        return release ? SessionHashCommands.LockAction.RELEASE : SessionHashCommands.LockAction.KEEP;
    }

    /** A fenced script whose reply is a status code. */
    @FunctionalInterface
    private interface FencedWrite extends io.sessionlocking.core.FencedOperation<Long> {}

    // --------------------------------------------------------------------------------------------------- loading

    /** This repository's side of the request's decisions. */
    private final class Access implements SessionAccess<LockingRedisSession> {

        @Override
        public @Nullable LockingRedisSession loadUnlocked(String id) {
            Map<byte[], byte[]> fields = commands.entries(sessionKey(id));
            if (fields.isEmpty()) {
                return null;
            }
            return live(id, codec.decode(id, fields));
        }

        @Override
        public @Nullable Acquisition<LockingRedisSession> lockAndLoad(
                String id, String holderInfo, RequestSessionLock request) {
            Acquisition<List<Object>> acquired = provider.acquire(id, holderInfo, lockAndLoad, request.abandonment());
            if (acquired == null) {
                return null;
            }
            SessionLock lock = acquired.lock();
            MapSession stored;
            try {
                stored = codec.decodeReply(id, acquired.value());
            } catch (RuntimeException e) {
                lock.release();
                throw e;
            }
            if (stored.isExpired()) {
                // Expired by Spring Session's rule before Redis expired the key: delete it, the lock goes with it.
                lock.releaseWith((key, owner) -> commands.delete(key), deleted -> true);
                return null;
            }
            return new Acquisition<>(
                    lock, new LockingRedisSession(LockingRedisSessionRepository.this, stored, false, request));
        }

        @Override
        public LockingRedisSession reload(String id, LockingRedisSession locked) {
            return locked; // the request holds the lock: nobody else changed it, and this object has its changes
        }

        private @Nullable LockingRedisSession live(String id, MapSession stored) {
            if (stored.isExpired()) {
                commands.delete(sessionKey(id));
                return null;
            }
            return new LockingRedisSession(
                    LockingRedisSessionRepository.this, stored, false, RequestSessionLock.current());
        }
    }
}
