package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLock;
import io.sessionlocking.core.SpinLockProvider;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.MapSessionRepository;

/** When the filter releases: after nested dispatches, after async completion, and how a failure is answered. */
class SessionLockFilterTests {

    private final InMemorySessions fixture = new InMemorySessions();
    private final MapSessionRepository sessions = fixture.sessions;
    private final RecordingListener listener = fixture.listener;
    private final SpinLockProvider provider = fixture.provider;
    private final LockingSessionRepository repository = new LockingSessionRepository(sessions, provider);
    private final SessionLockFilter filter = new SessionLockFilter(
            request -> null, SessionLockPolicy.defaults(), new LockFailureResponse(503, Duration.ofSeconds(2)));
    private final String id = fixture.store("counter", 1);

    @Test
    void aNestedErrorDispatchOnTheSameThreadNeitherDeadlocksNorReleasesEarly() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart");
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain nested = (req, res) -> {
            assertThat(repository.findById(id))
                    .as("loaded again without waiting for itself")
                    .isNotNull();
        };
        FilterChain outer = (req, res) -> {
            assertThat(repository.findById(id)).isNotNull();
            ((MockHttpServletRequest) req).setDispatcherType(DispatcherType.ERROR);
            filter.doFilter(req, res, nested); // as sendError does on some servers
            assertThat(listener.released)
                    .as("still held after the nested dispatch")
                    .isEmpty();
        };

        filter.doFilter(request, response, outer);

        assertThat(listener.acquired).hasSize(1);
        assertThat(listener.released).hasSize(1);
        assertThat(listener.failed).isEmpty();
    }

    @Test
    void anAsyncRequestKeepsItsLockUntilItCompletes() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart");
        request.setAsyncSupported(true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain startsAsync = (req, res) -> {
            repository.findById(id);
            req.startAsync();
        };

        filter.doFilter(request, response, startsAsync);

        assertThat(listener.released).as("held across the async gap").isEmpty();
        AsyncContext async = request.getAsyncContext();
        async.complete();
        assertThat(listener.released).hasSize(1);
    }

    @Test
    void anAsyncTimeoutKeepsTheLockForTheDispatchThatHandlesIt() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart");
        request.setAsyncSupported(true);
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            repository.findById(id);
            req.startAsync();
        });
        org.springframework.mock.web.MockAsyncContext async =
                (org.springframework.mock.web.MockAsyncContext) request.getAsyncContext();

        for (jakarta.servlet.AsyncListener asyncListener : async.getListeners()) {
            asyncListener.onTimeout(new jakarta.servlet.AsyncEvent(async));
        }
        assertThat(listener.released).as("the timeout dispatch may still save").isEmpty();

        async.complete();
        assertThat(listener.released).hasSize(1);
    }

    @Test
    void aRequestThatCannotLockGetsTheFailureResponse() throws Exception {
        SessionLock held = provider.acquire(id);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart");
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> repository.findById(id));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("2");
        assertThat(response.getContentAsString())
                .contains("\"reason\":\"timeout\"")
                .doesNotContain(id);
        held.release();
    }

    @Test
    void aRequestWithoutASessionLeavesNothingBehind() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {});
        assertThat(RequestSessionLock.current()).as("unbound after the request").isNull();
        assertThat(listener.acquired).isEmpty();
    }
}
