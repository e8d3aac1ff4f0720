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
import org.jspecify.annotations.Nullable;

/**
 * Binds a request's {@link RequestLocks} to each of its dispatches and releases the locks when the request is done.
 * Registered just outside Spring Session's {@code SessionRepositoryFilter} for the same dispatcher types, so its
 * {@code finally} runs after the session filter's last save.
 *
 * <p>When locks are released: at the end of the outermost dispatch on the thread (a nested ERROR dispatch, which
 * {@code sendError} runs inside the REQUEST dispatch on some servers, leaves them to the outer one), unless async
 * processing was started, in which case at the end of the ASYNC dispatch that does not start it again, or from an
 * {@link jakarta.servlet.AsyncListener} when the async request completes, times out or fails, whichever comes first.
 * This covers normal returns, exceptions, error dispatches and clients that went away.
 *
 * <p>A {@link LockCouldNotBeAcquiredException} escaping the chain becomes the configured failure response while the
 * response is not committed; otherwise it propagates.
 */
public final class SessionLockFilter implements Filter {

    private final SessionLockDecider decider;
    private final LockFailureResponse failureResponse;

    public SessionLockFilter(SessionLockDecider decider, LockFailureResponse failureResponse) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.failureResponse = Objects.requireNonNull(failureResponse, "failureResponse");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        RequestLocks locks = (RequestLocks) request.getAttribute(RequestLocks.ATTRIBUTE);
        if (locks == null) {
            String readOnlyReason = decider.readOnlyReason(request);
            locks = new RequestLocks(
                    readOnlyReason, request.getMethod(), RequestRulesDecider.pathWithinApplication(request));
            request.setAttribute(RequestLocks.ATTRIBUTE, locks);
        }
        RequestLocks outer = RequestLocks.bind(locks);
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            LockCouldNotBeAcquiredException failure = lockFailureIn(e);
            if (failure == null || response.isCommitted()) {
                throw e;
            }
            failureResponse.write(response, failure);
        } finally {
            RequestLocks.restore(outer);
            if (outer == null) {
                if (request.isAsyncStarted()) {
                    locks.releaseWhenAsyncEnds(request.getAsyncContext());
                } else {
                    locks.releaseAll();
                }
            }
        }
    }

    private static @Nullable LockCouldNotBeAcquiredException lockFailureIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LockCouldNotBeAcquiredException failure) {
                return failure;
            }
        }
        return null;
    }
}
