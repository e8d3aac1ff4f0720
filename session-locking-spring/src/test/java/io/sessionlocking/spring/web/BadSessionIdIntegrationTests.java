package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.spring.actuate.SessionLockStatistics;
import io.sessionlocking.testsupport.redis.RedisExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Session ids from cookies that are empty, huge, non-ASCII, carry braces, {@code *}, {@code :}, CR LF or NUL, are not
 * Base64, or come twice: sent byte for byte over a socket to a real Tomcat with a real Redis behind. Each is treated
 * as no session (a duplicate next to a real session's cookie leaves that session working): no key or field is written
 * to Redis, no lock is taken or waited for, nothing but a 200 or Tomcat's own 400 comes back, the id is not echoed,
 * and no exception is logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadSessionIdIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private static WebNode node;

    @BeforeAll
    static void start() {
        // Above Tomcat's 8 KB default, so that the 10 KB ids reach the application rather than Tomcat's 400.
        node = WebNode.start(redis.node().port(), Map.of("server.max-http-request-header-size", "64KB"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Raw cookie values, as they go on the wire, each with what the test calls it. */
    private static Map<String, byte[]> badCookieValues() {
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("empty", bytes(""));
        values.put("10 KB raw", bytes("a".repeat(10 * 1024)));
        values.put("10 KB id", base64("b".repeat(10 * 1024)));
        values.put("non-ASCII raw", "Ünïcödé€".getBytes(StandardCharsets.UTF_8));
        values.put("non-ASCII id", base64("sëssiön-ïd-€-\uD83D\uDE00"));
        values.put("braces raw", bytes("{abc}"));
        values.put("braces id", base64("{spring:session}"));
        values.put("hash tag id", base64("a{b}c"));
        values.put("star id", base64("*"));
        values.put("pattern id", base64("spring:session:sessions:*"));
        values.put("colon id", base64("a:b:c"));
        values.put("CRLF id", base64("abc\r\nSet-Cookie: evil=1"));
        values.put("NUL id", base64("abc\u0000def"));
        values.put("NUL raw", new byte[] {'a', 'b', 0, 'c'});
        values.put("not Base64", bytes("!!!not-base64!!!"));
        values.put("padding only", bytes("===="));
        values.put("Base64 of binary", Base64.getEncoder().encode(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}));
        values.put("unknown id", base64("no-such-session-id"));
        values.put("space id", base64("a b"));
        return values;
    }

    @Test
    void everyBadIdIsTreatedAsNoSessionWithNoLockStateAndNothingEscaping(CapturedOutput output) throws Exception {
        redis.node().flushAll();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> bad : badCookieValues().entrySet()) {
            String response = exchange(cookieHeader(bytes("SESSION="), bad.getValue()));
            String status = response.substring(0, response.indexOf("\r\n"));
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            System.out.println("bad session id, " + bad.getKey() + ": " + status.strip());
            if (!status.equals("HTTP/1.1 200 ") && !status.equals("HTTP/1.1 400 ")) {
                problems.add(bad.getKey() + ": " + status);
            }
            if (status.equals("HTTP/1.1 200 ") && !body.contains("no session")) {
                problems.add(bad.getKey() + ": served a session: " + body);
            }
            String raw = new String(bad.getValue(), StandardCharsets.ISO_8859_1);
            if (raw.length() >= 4 && response.contains(raw)) {
                problems.add(bad.getKey() + ": the cookie value is echoed");
            }
            assertNoLockState(bad.getKey(), problems);
        }
        assertThat(problems).as("bad session ids").isEmpty();
        assertThat(redis.node().command("DBSIZE"))
                .as("nothing written to Redis")
                .isEqualTo("0");
        assertThat(output.getAll())
                .as("no exception of the application or the library")
                .doesNotContain(" ERROR ")
                .doesNotContain("at io.sessionlocking.")
                .doesNotContain("at org.springframework.");
    }

    @Test
    void duplicateSessionCookiesFindTheRealSessionAndLeaveNoLockStateForTheOthers() throws Exception {
        redis.node().flushAll();
        String real = node.newSession();
        assertThat(node.send("POST", "/increment", real).statusCode()).isEqualTo(200);
        String realValue = real.substring("SESSION=".length());

        String twoBad = exchange(bytes("Cookie: SESSION=" + base64String("{x}") + "; SESSION=" + base64String("y*")));
        String badThenReal = exchange(bytes("Cookie: SESSION=" + base64String("a{b}") + "; SESSION=" + realValue));
        String realThenBad = exchange(bytes("Cookie: SESSION=" + realValue + "; SESSION=!!!"));
        String twoHeaders = exchange(bytes("Cookie: SESSION=" + base64String("nope") + "\r\nCookie: " + real));

        assertThat(twoBad).startsWith("HTTP/1.1 200 ").contains("no session");
        assertThat(badThenReal).startsWith("HTTP/1.1 200 ").contains("counter=1");
        assertThat(realThenBad).startsWith("HTTP/1.1 200 ").contains("counter=1");
        assertThat(twoHeaders).startsWith("HTTP/1.1 200 ").contains("counter=1");
        List<String> problems = new ArrayList<>();
        assertNoLockState("duplicates", problems);
        assertThat(problems).isEmpty();
        String key = "spring:session:sessions:" + ObservabilityIntegrationTests.sessionIdOf(real);
        assertThat(redis.node().command("KEYS", "*"))
                .as("only the real session's key")
                .isEqualTo(key);
        assertThat(redis.node().command("HKEYS", key))
                .as("nobody queued for its lock")
                .doesNotContain("sessionLockQueue:");
    }

    private static void assertNoLockState(String what, List<String> problems) {
        SessionLockProvider provider = node.context().getBean(SessionLockProvider.class);
        SessionLockActivity activity = node.context().getBean(SessionLockActivity.class);
        SessionLockStatistics statistics = node.context().getBean(SessionLockStatistics.class);
        if (HeldLocks.count(redis.node()) != 0) {
            problems.add(what + ": a lock is held");
        }
        if (provider.waitingCount() != 0
                || !activity.waitingNow().isEmpty()
                || !activity.holdingNow().isEmpty()) {
            problems.add(what + ": a waiter or holder is left");
        }
        if (statistics.failed() != 0) {
            problems.add(what + ": a lock failure was counted");
        }
    }

    /** {@code Cookie: <prefix><value>} */
    private static byte[] cookieHeader(byte[] prefix, byte[] value) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(bytes("Cookie: "));
        header.writeBytes(prefix);
        header.writeBytes(value);
        return header.toByteArray();
    }

    /** Sends {@code GET /peek} with {@code headers} exactly as given; returns the whole response. */
    private static String exchange(byte[] headers) throws IOException {
        int port = Integer.parseInt(node.context().getEnvironment().getProperty("local.server.port"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes("GET /peek HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"));
            out.write(headers);
            out.write(bytes("\r\n\r\n"));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] base64(String id) {
        return bytes(base64String(id));
    }

    private static String base64String(String id) {
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }
}
