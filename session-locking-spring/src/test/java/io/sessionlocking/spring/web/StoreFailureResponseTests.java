package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * How {@link SessionLockFilter} answers a failed session store: the one problem response while it can, a log line
 * (one per interval) when the response was committed already.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreFailureResponseTests {

    private final List<Boolean> observed = new CopyOnWriteArrayList<>();
    private final SessionLockActivity.Observer observer = new SessionLockActivity.Observer() {
        @Override
        public void onStoreFailed(boolean committed) {
            observed.add(committed);
        }
    };
    private final SessionLockFilter filter = new SessionLockFilter(
            request -> null,
            SessionLockPolicy.builder()
                    .activity(new SessionLockActivity(List.of(observer)))
                    .build(),
            new LockFailureResponse(409, Duration.ofSeconds(2)));

    @Test
    void aStoreFailureFromSpringSessionsSaveIs503BackendUnavailableReplacingTheHandlersBody() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain chain = (req, res) -> {
            res.setContentType("text/plain");
            res.setContentLength(5);
            res.getWriter().write("hello");
            // As Spring MVC wraps it when Spring Session's save fails as the response commits.
            throw new ServletException("Request processing failed", store());
        };

        filter.doFilter(new MockHttpServletRequest("POST", "/cart"), response, chain);

        assertThat(response.getStatus())
                .as("503 whatever the configured lock failure status")
                .isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getHeader("Retry-After")).isEqualTo("2");
        String body = response.getContentAsString();
        assertThat(body)
                .contains("\"reason\":\"backend_unavailable\"")
                .contains("\"title\":\"Session store unavailable\"")
                .contains("\"exception\":\"SessionStoreUnavailableException\"")
                .doesNotContain("hello");
        assertThat(response.getContentLength()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(observed).as("counted, not committed").containsExactly(false);
    }

    @Test
    void afterTheCommitTheResponseStandsAndOneLineIsLoggedPerInterval(CapturedOutput output) throws Exception {
        for (int i = 0; i < 3; i++) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            FilterChain chain = (req, res) -> {
                res.getWriter().write("done");
                res.flushBuffer();
                throw store();
            };

            filter.doFilter(new MockHttpServletRequest("POST", "/cart"), response, chain);

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("done");
        }
        assertThat(output.getAll().lines().filter(line -> line.contains("after its response was committed")))
                .hasSize(1)
                .allSatisfy(line -> assertThat(line)
                        .contains("POST /cart")
                        .contains("QueryTimeoutException")
                        .contains("the response stands"));
        assertThat(observed).as("each counted, committed").containsExactly(true, true, true);
    }

    @Test
    void anyOtherFailureAfterTheCommitPropagates() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain chain = (req, res) -> {
            res.flushBuffer();
            throw new IllegalStateException("the application's own");
        };

        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("POST", "/cart"), response, chain))
                .isInstanceOf(IllegalStateException.class);
    }

    private static SessionStoreUnavailableException store() {
        return (SessionStoreUnavailableException)
                SessionStoreFailures.translate(new QueryTimeoutException("Redis command timed out"));
    }
}
