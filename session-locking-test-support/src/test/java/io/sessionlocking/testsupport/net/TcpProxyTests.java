package io.sessionlocking.testsupport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket-level behaviour of the proxy, against an in-test echo server (no Redis). */
class TcpProxyTests {

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private EchoServer echo;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new EchoServer();
    }

    @AfterEach
    void stopEchoServer() throws Exception {
        echo.close();
    }

    @Test
    void forwardsBytesAndTheEndOfStreamAndCountsThem() throws IOException {
        try (TcpProxy proxy = TcpProxy.start(echo.address());
                Socket socket = connect(proxy)) {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();

            assertThat(readToEnd(socket)).isEqualTo("hello");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 0);
            assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(5);
            assertThat(proxy.bytesForwarded(Direction.DOWNSTREAM)).isEqualTo(5);
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void stallHoldsBytesWithoutClosingAndHealReleasesThem() throws IOException {
        try (TcpProxy proxy = TcpProxy.start(echo.address());
                Socket socket = connect(proxy)) {
            proxy.stall(Direction.DOWNSTREAM);
            socket.getOutputStream().write('x');
            socket.setSoTimeout(300);

            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(1);

            proxy.heal();

            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            assertThat(socket.getInputStream().read()).isEqualTo('x');
        }
    }

    @Test
    void unreachableTargetResetsTheClient() throws IOException {
        InetSocketAddress nobody;
        try (ServerSocket probe = new ServerSocket(0)) {
            nobody = new InetSocketAddress("127.0.0.1", probe.getLocalPort());
        }
        try (TcpProxy proxy = TcpProxy.start(nobody);
                Socket socket = connect(proxy)) {
            assertThatThrownBy(() -> readToEnd(socket)).isInstanceOf(IOException.class);
            assertThat(proxy.refusedConnections()).isEqualTo(1);
        }
    }

    @Test
    void closeEndsEveryThreadEvenOfStalledConnections() throws IOException {
        TcpProxy proxy = TcpProxy.start(echo.address());
        String prefix = "tcp-proxy-" + proxy.port();
        try (Socket socket = connect(proxy)) {
            proxy.stall();
            socket.getOutputStream().write('x');
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 1);

            proxy.close();
            proxy.close();

            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(thread -> thread.getName().startsWith(prefix) && thread.isAlive());
            assertThatThrownBy(() -> new Socket("127.0.0.1", proxy.port()).close())
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(proxy::heal).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void rejectsNegativeDurations() {
        try (TcpProxy proxy = TcpProxy.start(echo.address())) {
            assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("latency");
            assertThatThrownBy(() -> proxy.stall(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stall duration");
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket(proxy.host(), proxy.port());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** Everything until the end of stream; throws on a reset. */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
