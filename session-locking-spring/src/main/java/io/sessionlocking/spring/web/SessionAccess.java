package io.sessionlocking.spring.web;

import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SessionLockProvider.Acquisition;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;

/**
 * What a locking repository does with its store when {@link RequestSessionLock} decides how a session is loaded: the
 * request's lock state decides, the repository only performs. Implemented by the fused Redis repository and by the
 * decorator.
 *
 * @param <S> the repository's session type
 */
public interface SessionAccess<S extends Session> {

    /** Loads the session without its lock, or {@code null} when it does not exist. */
    @Nullable
    S loadUnlocked(String id);

    /**
     * Waits for the session's lock and loads the session under it, or returns {@code null} (holding nothing) when the
     * session does not exist. The returned session belongs to {@code request}.
     *
     * @throws io.sessionlocking.core.LockCouldNotBeAcquiredException when the lock could not be had
     */
    @Nullable
    Acquisition<S> lockAndLoad(String id, String holderInfo, RequestSessionLock request);

    /** Loads again a session whose lock the request holds or held, {@code locked} being what it loaded first. */
    @Nullable
    S reload(String id, S locked);

    /**
     * Who holds the session's lock now, for a failure's log line when the failed attempts did not tell; empty by
     * default.
     */
    default Optional<SessionLockProvider.LockHolder> currentHolder(String id) {
        return Optional.empty();
    }
}
