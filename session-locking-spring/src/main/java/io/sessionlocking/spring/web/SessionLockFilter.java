package io.sessionlocking.spring.web;

import io.sessionlocking.core.LockCouldNotBeAcquiredException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Gives each request its {@link RequestSessionLock}, binds it to each of the request's dispatches, and ends it when
 * the request is done. Registered just outside Spring Session's {@code SessionRepositoryFilter} for the same
 * dispatcher types, so its {@code finally} runs after the session filter's last save.
 *
 * <p>When the request ends (its lock, if still held, is released): at the end of the outermost dispatch on the thread
 * (a nested ERROR dispatch, which {@code sendError} runs inside the REQUEST dispatch on some servers, leaves it to the
 * outer one), unless async processing was started, in which case at the end of the ASYNC dispatch that does not start
 * it again, or from an {@link jakarta.servlet.AsyncListener} when the async request completes, whichever comes first
 * (with {@link AsyncPolicy#RELEASE_AFTER_DISPATCH} the lock itself is released at the end of the dispatch that
 * started async processing).
 * This covers normal returns, exceptions, error dispatches and clients that went away. The fused Redis repository
 * usually releases earlier, in the save that writes the session.
 *
 * <p>A {@link LockCouldNotBeAcquiredException}, {@link SessionLockLostException} or {@link
 * SessionStoreUnavailableException} escaping the chain becomes the failure response ({@link LockFailureResponse})
 * while the response is not committed. Spring Session saves the session inside this filter (when the response
 * commits, and again at the end of its own filter), so a failing save is still answered 503 {@code
 * backend_unavailable} unless the body was flushed before it. After the commit a store failure is logged (one line
 * per interval, {@link LockFailureLog}) and the response stands; any other exception propagates. A request abandoned while
 * it waited for its lock (its client went away) gets no response: its connection is ended ({@link ClientConnection}).
 */
public final class SessionLockFilter implements Filter {

    private static final String BACKEND_UNAVAILABLE = LockCouldNotBeAcquiredException.Reason.BACKEND_UNAVAILABLE.name();

    private final SessionLockDecider decider;
    private final SessionLockPolicy policy;
    private final LockFailureResponse failureResponse;

    public SessionLockFilter(
            SessionLockDecider decider, SessionLockPolicy policy, LockFailureResponse failureResponse) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.failureResponse = Objects.requireNonNull(failureResponse, "failureResponse");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        RequestSessionLock lock = (RequestSessionLock) request.getAttribute(RequestSessionLock.ATTRIBUTE);
        if (lock == null) {
            lock = new RequestSessionLock(
                    policy,
                    decider.readOnlyReason(request),
                    request.getMethod(),
                    RequestRulesDecider.pathWithinApplication(request),
                    request);
            request.setAttribute(RequestSessionLock.ATTRIBUTE, lock);
        }
        RequestSessionLock outer = RequestSessionLock.bind(lock);
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted()) {
                if (!storeFailedAfterCommit(e, request)) {
                    throw e;
                }
            } else if (!writeFailure(e, request, response)) {
                throw e;
            }
        } finally {
            RequestSessionLock.restore(outer);
            if (outer == null) {
                if (request.isAsyncStarted()) {
                    if (lock.releasesAfterAsyncDispatch()) {
                        lock.releaseAfterDispatch();
                    }
                    lock.endWhenAsyncCompletes(request.getAsyncContext());
                } else {
                    lock.end();
                }
            }
        }
    }

    /**
     * Writes the failure response when {@code error} is a lock failure; {@code false} when it is not. An abandoned
     * request gets none: its client is gone, so its connection is ended without one.
     */
    private boolean writeFailure(Throwable error, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LockCouldNotBeAcquiredException failure
                    && failure.reason() == LockCouldNotBeAcquiredException.Reason.ABANDONED) {
                ClientConnection connection = ClientConnection.of(request);
                if (connection != null) {
                    connection.abort();
                }
                return true;
            }
            if (t instanceof LockCouldNotBeAcquiredException failure) {
                failureResponse.write(
                        response, failure.reason().name(), failure.getClass().getSimpleName());
                return true;
            }
            if (t instanceof SessionLockLostException lost) {
                failureResponse.write(response, "LOCK_LOST", lost.getClass().getSimpleName());
                return true;
            }
            if (t instanceof SessionStoreUnavailableException failure) {
                policy.failureLog()
                        .storeFailed(() -> "Session store failed for " + describe(request) + ", answered "
                                + failureResponse.statusOf(BACKEND_UNAVAILABLE) + ": " + failure.getMessage());
                failureResponse.write(
                        response, BACKEND_UNAVAILABLE, failure.getClass().getSimpleName());
                storeFailed(false);
                return true;
            }
        }
        return false;
    }

    /**
     * Logs a store failure that came after the response was committed (a save at the end of a request whose body was
     * flushed already), rate-limited with the other backend failures; {@code false} when {@code error} is not one.
     * The response cannot change any more: it stands, and the session change it followed may not be saved.
     */
    private boolean storeFailedAfterCommit(Throwable error, HttpServletRequest request) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SessionStoreUnavailableException failure) {
                policy.failureLog()
                        .storeFailed(() -> "Session store failed for " + describe(request)
                                + " after its response was committed: the response stands, the session change may "
                                + "be lost: " + failure.getMessage());
                storeFailed(true);
                return true;
            }
        }
        return false;
    }

    private void storeFailed(boolean committed) {
        SessionLockActivity activity = policy.activity();
        if (activity != null) {
            activity.storeFailed(committed);
        }
    }

    private static String describe(HttpServletRequest request) {
        return request.getMethod() + " " + RequestRulesDecider.pathWithinApplication(request);
    }
}
