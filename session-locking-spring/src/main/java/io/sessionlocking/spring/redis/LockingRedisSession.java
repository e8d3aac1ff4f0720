package io.sessionlocking.spring.redis;

import io.sessionlocking.spring.web.RequestSessionLock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.session.FlushMode;
import org.springframework.session.MapSession;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;

/**
 * A session of {@link LockingRedisSessionRepository}: Spring Session's {@link MapSession} plus the delta since the
 * last save (changed and removed attributes only, as Spring Session's own Redis session tracks it), the id it has in
 * Redis, and the request that loaded or created it, whose lock state decides how it is saved from any thread. Not
 * thread-safe, like Spring Session's sessions: one request uses it.
 */
public final class LockingRedisSession implements Session {

    private final LockingRedisSessionRepository repository;
    private final MapSession cached;
    private final @Nullable RequestSessionLock request;
    /** Field name to value; a null value means the field is removed. */
    private final Map<String, @Nullable Object> delta = new HashMap<>();

    private boolean isNew;
    private String storedId;

    LockingRedisSession(
            LockingRedisSessionRepository repository,
            MapSession cached,
            boolean isNew,
            @Nullable RequestSessionLock request) {
        this.repository = repository;
        this.cached = cached;
        this.isNew = isNew;
        this.request = request;
        this.storedId = cached.getId();
        if (isNew) {
            delta.put(SessionHashCodec.CREATION_TIME, cached.getCreationTime().toEpochMilli());
            delta.put(SessionHashCodec.MAX_INACTIVE_INTERVAL, (int)
                    cached.getMaxInactiveInterval().getSeconds());
            delta.put(
                    SessionHashCodec.LAST_ACCESSED_TIME,
                    cached.getLastAccessedTime().toEpochMilli());
        }
        if (isNew || repository.saveMode() == SaveMode.ALWAYS) {
            cached.getAttributeNames()
                    .forEach(name -> delta.put(SessionHashCodec.attributeField(name), cached.getAttribute(name)));
        }
    }

    @Override
    public String getId() {
        return cached.getId();
    }

    @Override
    public String changeSessionId() {
        String newId = repository.generateId();
        cached.setId(newId);
        return newId;
    }

    @Override
    public <T> @Nullable T getAttribute(String attributeName) {
        T value = cached.getAttribute(attributeName);
        if (value != null && repository.saveMode() == SaveMode.ON_GET_ATTRIBUTE) {
            delta.put(SessionHashCodec.attributeField(attributeName), value);
        }
        return value;
    }

    @Override
    public Set<String> getAttributeNames() {
        return cached.getAttributeNames();
    }

    @Override
    public void setAttribute(String attributeName, @Nullable Object attributeValue) {
        cached.setAttribute(attributeName, attributeValue);
        delta.put(SessionHashCodec.attributeField(attributeName), attributeValue);
        flushIfImmediate();
    }

    @Override
    public void removeAttribute(String attributeName) {
        setAttribute(attributeName, null);
    }

    @Override
    public Instant getCreationTime() {
        return cached.getCreationTime();
    }

    @Override
    public void setLastAccessedTime(Instant lastAccessedTime) {
        cached.setLastAccessedTime(lastAccessedTime);
        delta.put(
                SessionHashCodec.LAST_ACCESSED_TIME,
                cached.getLastAccessedTime().toEpochMilli());
        flushIfImmediate();
    }

    @Override
    public Instant getLastAccessedTime() {
        return cached.getLastAccessedTime();
    }

    @Override
    public void setMaxInactiveInterval(Duration interval) {
        cached.setMaxInactiveInterval(interval);
        delta.put(SessionHashCodec.MAX_INACTIVE_INTERVAL, (int)
                cached.getMaxInactiveInterval().getSeconds());
        flushIfImmediate();
    }

    @Override
    public Duration getMaxInactiveInterval() {
        return cached.getMaxInactiveInterval();
    }

    @Override
    public boolean isExpired() {
        return cached.isExpired();
    }

    private void flushIfImmediate() {
        if (repository.flushMode() == FlushMode.IMMEDIATE) {
            repository.flush(this);
        }
    }

    // ------------------------------------------------------------------------------------ for the repository only

    @Nullable
    RequestSessionLock request() {
        return request;
    }

    boolean isNew() {
        return isNew;
    }

    /** The id the session has in Redis now (before an id change is saved, the old one). */
    String storedId() {
        return storedId;
    }

    boolean hasChangedId() {
        return !getId().equals(storedId);
    }

    Map<String, @Nullable Object> delta() {
        return delta;
    }

    /** Every field of the session, for writing it whole (a new key). */
    Map<String, @Nullable Object> allFields() {
        Map<String, @Nullable Object> fields = new HashMap<>();
        fields.put(SessionHashCodec.CREATION_TIME, cached.getCreationTime().toEpochMilli());
        fields.put(SessionHashCodec.MAX_INACTIVE_INTERVAL, (int)
                cached.getMaxInactiveInterval().getSeconds());
        fields.put(
                SessionHashCodec.LAST_ACCESSED_TIME,
                cached.getLastAccessedTime().toEpochMilli());
        cached.getAttributeNames()
                .forEach(name -> fields.put(SessionHashCodec.attributeField(name), cached.getAttribute(name)));
        return fields;
    }

    /** The key's expiry: last access + max inactive interval, or -1 when the session never expires. */
    long expireAtMillis() {
        Duration maxInactive = cached.getMaxInactiveInterval();
        return maxInactive.isNegative()
                ? -1
                : cached.getLastAccessedTime().plus(maxInactive).toEpochMilli();
    }

    /** The session's state in Redis now equals this object's. */
    void saved() {
        delta.clear();
        isNew = false;
        storedId = getId();
    }
}
