package io.sessionlocking.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small app whose endpoints do the read-modify-write that loses updates without a lock: read a counter from the
 * session, work a little, write counter + 1.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(CounterApplication.CounterController.class)
class CounterApplication {

    @RestController
    static class CounterController {

        @PostMapping("/session")
        String create(HttpSession session) {
            session.setAttribute("counter", 0);
            return "created";
        }

        /** Whether the request has a session, without creating one. */
        @GetMapping("/peek")
        String peek(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            return session == null ? "no session" : "counter=" + counter(session);
        }

        @GetMapping("/counter")
        int read(HttpSession session) {
            return counter(session);
        }

        @PostMapping("/increment")
        int increment(HttpSession session, @RequestParam(defaultValue = "5") long workMillis)
                throws InterruptedException {
            int value = counter(session);
            TimeUnit.MILLISECONDS.sleep(workMillis); // the app's own work between read and write
            session.setAttribute("counter", value + 1);
            return value + 1;
        }

        @PostMapping("/increment-async")
        Callable<Integer> incrementAsync(HttpSession session) {
            int value = counter(session);
            return () -> {
                TimeUnit.MILLISECONDS.sleep(50);
                session.setAttribute("counter", value + 1);
                return value + 1;
            };
        }

        @GetMapping("/boom")
        String boom(HttpSession session) {
            counter(session);
            throw new IllegalStateException("boom");
        }

        @GetMapping("/send-error")
        void sendError(HttpSession session, HttpServletResponse response) throws IOException {
            counter(session);
            response.sendError(418);
        }

        @PostMapping("/login")
        String login(HttpServletRequest request) {
            request.getSession(); // a concurrent logout may have removed it: log in afresh
            return request.changeSessionId();
        }

        @PostMapping("/logout")
        String logout(HttpSession session) {
            session.invalidate();
            return "bye";
        }

        private static int counter(HttpSession session) {
            Object value = session.getAttribute("counter");
            return value == null ? 0 : (Integer) value;
        }
    }
}
