package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockStoreException;
import java.util.function.Supplier;

/**
 * Turns the session store's failures into {@link SessionStoreUnavailableException} at the boundary of a locking
 * repository, and only there: a {@code DataAccessException} of the application's own code (its JDBC repository, its
 * cache) is not a session store failure and keeps its own handling. Public for the fused Redis repository; not an API.
 *
 * <p>A store failure is a {@link LockStoreException}, a Spring {@code DataAccessException} or a Lettuce {@code
 * RedisException}, recognised by class name so that neither Spring's transaction module nor Lettuce has to be on the
 * class path. Anything else (a serialization error, a lock failure, an {@code IllegalStateException} of an
 * invalidated session) passes unchanged.
 */
public final class SessionStoreFailures {

    private static final String DATA_ACCESS = "org.springframework.dao.DataAccessException";
    private static final String LETTUCE = "io.lettuce.core.RedisException";

    private SessionStoreFailures() {}

    /**
     * The result of {@code call}, a store failure of it thrown as {@link SessionStoreUnavailableException}. Within a
     * request whose store failed already, thrown at once without calling: the request is answered 503 anyway, and
     * Spring looks the session up again after a failure (Spring MVC's request-handled event, Spring Session's save at
     * the end of its filter), each of which would wait out another command timeout while Redis hangs.
     */
    public static <T> T call(Supplier<T> call) {
        RequestSessionLock request = RequestSessionLock.current();
        SessionStoreUnavailableException earlier = request != null ? request.storeFailure() : null;
        if (earlier != null) {
            throw new SessionStoreUnavailableException(earlier);
        }
        try {
            return call.get();
        } catch (RuntimeException e) {
            RuntimeException translated = translate(e);
            if (request != null && translated instanceof SessionStoreUnavailableException failure) {
                request.storeFailed(failure);
            }
            throw translated;
        }
    }

    /** Runs {@code run} as {@link #call}. */
    public static void run(Runnable run) {
        call(() -> {
            run.run();
            return null;
        });
    }

    /** {@code failure} as the exception to throw: translated when it is a store failure, else itself. */
    public static RuntimeException translate(RuntimeException failure) {
        return failure instanceof SessionStoreUnavailableException || !isStoreFailure(failure)
                ? failure
                : new SessionStoreUnavailableException(failure);
    }

    static boolean isStoreFailure(Throwable failure) {
        if (failure instanceof LockStoreException) {
            return true;
        }
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(DATA_ACCESS) || type.getName().equals(LETTUCE)) {
                return true;
            }
        }
        return false;
    }

    /** The exception types of {@code failure}'s cause chain (four at most), no messages. */
    static String describe(Throwable failure) {
        StringBuilder description = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 4; t = t.getCause(), depth++) {
            if (depth > 0) {
                description.append(" caused by ");
            }
            description.append(t.getClass().getSimpleName());
        }
        return description.toString();
    }
}
