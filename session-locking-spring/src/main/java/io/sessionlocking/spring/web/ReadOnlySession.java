package io.sessionlocking.spring.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;

/**
 * A session loaded without its lock. Reads pass through; attribute writes and the max inactive interval are dropped
 * (logged at DEBUG), since they could overwrite what the lock holder writes. {@link LockingSessionRepository#save}
 * saves it only to refresh its expiry ({@code refreshExpiry}), which writes the last-accessed time and nothing else.
 */
final class ReadOnlySession implements Session {

    private static final Log logger = LogFactory.getLog(ReadOnlySession.class);

    private final Session delegate;
    private final boolean refreshExpiry;

    ReadOnlySession(Session delegate, boolean refreshExpiry) {
        this.delegate = delegate;
        this.refreshExpiry = refreshExpiry;
    }

    Session delegate() {
        return delegate;
    }

    boolean refreshExpiry() {
        return refreshExpiry;
    }

    @Override
    public String getId() {
        return delegate.getId();
    }

    @Override
    public String changeSessionId() {
        return delegate.changeSessionId();
    }

    @Override
    public <T> @Nullable T getAttribute(String attributeName) {
        return delegate.getAttribute(attributeName);
    }

    @Override
    public Set<String> getAttributeNames() {
        return delegate.getAttributeNames();
    }

    @Override
    public void setAttribute(String attributeName, @Nullable Object attributeValue) {
        logger.debug("Dropped write of session attribute '" + attributeName + "' in a read-only request");
    }

    @Override
    public void removeAttribute(String attributeName) {
        logger.debug("Dropped removal of session attribute '" + attributeName + "' in a read-only request");
    }

    @Override
    public Instant getCreationTime() {
        return delegate.getCreationTime();
    }

    @Override
    public void setLastAccessedTime(Instant lastAccessedTime) {
        delegate.setLastAccessedTime(lastAccessedTime);
    }

    @Override
    public Instant getLastAccessedTime() {
        return delegate.getLastAccessedTime();
    }

    @Override
    public void setMaxInactiveInterval(Duration interval) {
        logger.debug("Dropped change of the max inactive interval in a read-only request");
    }

    @Override
    public Duration getMaxInactiveInterval() {
        return delegate.getMaxInactiveInterval();
    }

    @Override
    public boolean isExpired() {
        return delegate.isExpired();
    }
}
