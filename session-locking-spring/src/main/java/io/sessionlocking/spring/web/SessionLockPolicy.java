package io.sessionlocking.spring.web;

import java.util.Objects;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How the requests of an application lock their sessions, one instance for all of them: what a request does when the
 * lock cannot be had ({@link OnTimeout}) or is lost ({@link OnLostLock}), when an async request releases ({@link
 * AsyncPolicy}), the renewal watchdog, and who watches (activity, wait observer, node name in holder
 * descriptions). Immutable and thread-safe; {@link RequestSessionLock} reads it.
 */
public final class SessionLockPolicy {

    private final OnTimeout onTimeout;
    private final OnLostLock onLostLock;
    private final AsyncPolicy async;
    private final @Nullable LockRenewer renewer;
    private final @Nullable SessionLockActivity activity;
    private final LockWaitObserver waitObserver;
    private final String nodeName;
    // Shared by the application's requests: at most one WARN line per session per interval.
    private final LockFailureLog failureLog = new LockFailureLog(LogFactory.getLog(RequestSessionLock.class));

    private SessionLockPolicy(Builder builder) {
        this.onTimeout = builder.onTimeout;
        this.onLostLock = builder.onLostLock;
        this.async = builder.async;
        this.renewer = builder.renewer;
        this.activity = builder.activity;
        this.waitObserver = builder.waitObserver;
        this.nodeName = builder.nodeName;
    }

    /** Fail on timeout and on a lost lock, hold async requests to the end, no renewal, nobody watching. */
    public static SessionLockPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public OnTimeout onTimeout() {
        return onTimeout;
    }

    public OnLostLock onLostLock() {
        return onLostLock;
    }

    public AsyncPolicy async() {
        return async;
    }

    public @Nullable LockRenewer renewer() {
        return renewer;
    }

    public @Nullable SessionLockActivity activity() {
        return activity;
    }

    public LockWaitObserver waitObserver() {
        return waitObserver;
    }

    public String nodeName() {
        return nodeName;
    }

    /** Where the requests' lock failures are logged, rate-limited. */
    LockFailureLog failureLog() {
        return failureLog;
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {

        private OnTimeout onTimeout = OnTimeout.FAIL;
        private OnLostLock onLostLock = OnLostLock.FAIL;
        private AsyncPolicy async = AsyncPolicy.HOLD;
        private @Nullable LockRenewer renewer;
        private @Nullable SessionLockActivity activity;
        private LockWaitObserver waitObserver = LockWaitObserver.NONE;
        private String nodeName = NodeNames.local();

        private Builder() {}

        public Builder onTimeout(OnTimeout onTimeout) {
            this.onTimeout = Objects.requireNonNull(onTimeout, "onTimeout");
            return this;
        }

        public Builder onLostLock(OnLostLock onLostLock) {
            this.onLostLock = Objects.requireNonNull(onLostLock, "onLostLock");
            return this;
        }

        public Builder async(AsyncPolicy async) {
            this.async = Objects.requireNonNull(async, "async");
            return this;
        }

        /** The renewal watchdog, or {@code null} for none. */
        public Builder renewer(@Nullable LockRenewer renewer) {
            this.renewer = renewer;
            return this;
        }

        /** Where waits and holds are recorded, or {@code null}. */
        public Builder activity(@Nullable SessionLockActivity activity) {
            this.activity = activity;
            return this;
        }

        public Builder waitObserver(LockWaitObserver waitObserver) {
            this.waitObserver = Objects.requireNonNull(waitObserver, "waitObserver");
            return this;
        }

        /** This node's name, stored with each lock so that any node can tell who holds it. */
        public Builder nodeName(String nodeName) {
            this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
            return this;
        }

        public SessionLockPolicy build() {
            return new SessionLockPolicy(this);
        }
    }
}
