package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A login (session id change) and a logout while increments of the same session are in flight, with an exact account:
 * an increment that ran on the session before the login is carried into the session's new id; one that ran after it
 * found no session under the old id and started a new one (its response sets a cookie). So the counter under the new
 * id equals the increments answered without a new cookie: the login lost neither the session nor an increment.
 */
final class LoginInFlight {

    private static final int INCREMENTS = 20;

    private LoginInFlight() {}

    static void loginKeepsTheSessionAndEveryIncrement(WebNode node) throws Exception {
        String cookie = node.newSession();
        List<CompletableFuture<HttpResponse<String>>> increments = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> login = null;
        for (int i = 0; i < INCREMENTS; i++) {
            increments.add(send(node, "/increment?workMillis=10", cookie));
            if (i == INCREMENTS / 2) {
                login = send(node, "/login", cookie);
            }
        }
        HttpResponse<String> loggedIn = login.get(60, TimeUnit.SECONDS);
        assertThat(loggedIn.statusCode()).isEqualTo(200);
        int onTheSession = 0;
        for (CompletableFuture<HttpResponse<String>> increment : increments) {
            HttpResponse<String> response = increment.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            if (response.headers().firstValue("Set-Cookie").isEmpty()) {
                onTheSession++;
            }
        }
        String newCookie = WebNode.cookieOf(loggedIn.body());
        assertThat(node.counter(newCookie))
                .as("every increment that ran on the session survived the login")
                .isEqualTo(onTheSession);
        assertThat(node.send("GET", "/counter", cookie).headers().firstValue("Set-Cookie"))
                .as("the old id is gone")
                .isPresent();
    }

    static void logoutEndsTheSessionForEveryLaterRequest(WebNode node) throws Exception {
        String cookie = node.newSession();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < INCREMENTS; i++) {
            responses.add(send(node, "/increment?workMillis=10", cookie));
            if (i == INCREMENTS / 2) {
                responses.add(send(node, "/logout", cookie));
            }
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isLessThan(500);
        }
        assertThat(node.send("GET", "/counter", cookie).headers().firstValue("Set-Cookie"))
                .as("the logged-out id finds no session")
                .isPresent();
    }

    private static CompletableFuture<HttpResponse<String>> send(WebNode node, String path, String cookie) {
        return node.client()
                .sendAsync(
                        node.request("POST", path, cookie, WebNode.REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
    }
}
