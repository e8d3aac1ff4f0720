package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.testsupport.redis.RedisExtension;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error dispatch after the lock was released neither waits nor writes: a handler changes the session, includes a
 * fragment (Spring Session saves the session before an include; the fused repository releases the lock in that save)
 * and throws; by the time the container's ERROR dispatch runs the error page, the request has ended, another request
 * of the session has taken the lock, and the error page, which reads and changes the session, answers at once while
 * that request still holds the lock, and its change is never written.
 */
class ErrorDispatchIntegrationTests {

    private static final long LATCH_SECONDS = 30;

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    @ParameterizedTest
    @ValueSource(strings = {"fused", "decorator"})
    void theErrorDispatchAfterTheReleaseNeitherWaitsNorWrites(String repository) throws Exception {
        ErrorPageApplication.reset();
        try (WebNode node = WebNode.start(
                ErrorPageApplication.class, redis.node().port(), Map.of("session-locking.repository", repository))) {
            String cookie = node.newSession();

            CompletableFuture<HttpResponse<String>> failing = sendAsync(node, "GET", "/include-then-fail", cookie);
            assertThat(ErrorPageApplication.errorPageEntered.await(LATCH_SECONDS, TimeUnit.SECONDS))
                    .as("the error dispatch started")
                    .isTrue();
            CompletableFuture<HttpResponse<String>> holder = sendAsync(node, "POST", "/increment-and-hold", cookie);
            assertThat(ErrorPageApplication.holding.await(LATCH_SECONDS, TimeUnit.SECONDS))
                    .as("another request took the lock: the failing request released it before its error page")
                    .isTrue();

            ErrorPageApplication.proceedWithErrorPage.countDown();
            HttpResponse<String> errorPage = failing.get(LATCH_SECONDS, TimeUnit.SECONDS);

            assertThat(errorPage.statusCode()).isEqualTo(500);
            assertThat(errorPage.body())
                    .as("the error page read the session: the failing request's own change")
                    .isEqualTo("error page saw counter=1");
            assertThat(holder)
                    .as("the error page answered while the other request still holds the lock: it did not wait")
                    .isNotDone();
            ErrorPageApplication.releaseHolder.countDown();
            assertThat(holder.get(LATCH_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            assertThat(node.send("GET", "/state", cookie).body())
                    .as("both increments landed, the error page's change did not")
                    .isEqualTo("counter=2 errorPage=null");
        }
        HeldLocks.assertNoneLeft(redis.node());
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(
            WebNode node, String method, String path, String cookie) {
        return node.client()
                .sendAsync(
                        node.request(method, path, cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** A counter in the session, a handler that fails after its session was saved, and an error page that writes. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ErrorPageApplication.Pages.class, ErrorPageApplication.ErrorPage.class})
    static class ErrorPageApplication {

        static volatile CountDownLatch errorPageEntered;
        static volatile CountDownLatch proceedWithErrorPage;
        static volatile CountDownLatch holding;
        static volatile CountDownLatch releaseHolder;

        static void reset() {
            errorPageEntered = new CountDownLatch(1);
            proceedWithErrorPage = new CountDownLatch(1);
            holding = new CountDownLatch(1);
            releaseHolder = new CountDownLatch(1);
        }

        static void await(CountDownLatch latch) throws InterruptedException {
            if (!latch.await(LATCH_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test did not go on within " + LATCH_SECONDS + " s");
            }
        }

        @RestController
        static class Pages {

            @PostMapping("/session")
            String create(HttpSession session) {
                session.setAttribute("counter", 0);
                return "created";
            }

            @GetMapping("/include-then-fail")
            void includeThenFail(HttpServletRequest request, HttpServletResponse response)
                    throws ServletException, IOException {
                HttpSession session = request.getSession();
                session.setAttribute("counter", (Integer) session.getAttribute("counter") + 1);
                // Spring Session saves the session before an include: the fused repository releases the lock there.
                request.getRequestDispatcher("/fragment").include(request, response);
                throw new IllegalStateException("failed after the session was saved");
            }

            @GetMapping("/fragment")
            String fragment() {
                return "";
            }

            @PostMapping("/increment-and-hold")
            String incrementAndHold(HttpSession session) throws InterruptedException {
                session.setAttribute("counter", (Integer) session.getAttribute("counter") + 1);
                holding.countDown();
                await(releaseHolder);
                return "held";
            }

            @GetMapping("/state")
            String state(HttpSession session) {
                return "counter=" + session.getAttribute("counter") + " errorPage=" + session.getAttribute("errorPage");
            }
        }

        /** Reads and changes the session, as error pages with a user's name or a flash message do. */
        @RestController
        static class ErrorPage implements ErrorController {

            @RequestMapping("/error")
            String error(HttpServletRequest request, HttpServletResponse response) throws InterruptedException {
                errorPageEntered.countDown();
                await(proceedWithErrorPage);
                HttpSession session = request.getSession();
                session.setAttribute("errorPage", "written");
                response.setStatus(500);
                return "error page saw counter=" + session.getAttribute("counter");
            }
        }
    }
}
