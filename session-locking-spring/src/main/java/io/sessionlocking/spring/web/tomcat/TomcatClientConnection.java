package io.sessionlocking.spring.web.tomcat;

import io.sessionlocking.spring.web.ClientConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.coyote.ActionCode;
import org.apache.coyote.Request;

/**
 * An HTTP/1.1 connection of Tomcat (NIO/NIO2 connectors), checked through its coyote request, the way Tomcat's own
 * non-blocking reads ask it: {@link ActionCode#AVAILABLE} with a read makes the connector try one non-blocking read
 * from the socket when it has nothing of the request buffered. A read that hits the end of the stream fails, and Tomcat
 * then reports exactly one byte available (so that the next read throws); the client has closed the connection.
 *
 * <p>What it sees, and what not:
 *
 * <ul>
 *   <li>Only a request whose body has been read entirely, or that has none ({@link ActionCode#REQUEST_BODY_FULLY_READ}),
 *       is checked: unread body bytes in Tomcat's buffer hide the end of the stream behind them. A form post whose body
 *       the application has not read yet waits until its timeout as before.
 *   <li>Two probes in a row must both answer exactly 1: bytes of a pipelined next request (which the probe may read into
 *       Tomcat's buffer, where they stay for that request) answer their length, or 0 on the second probe. A client that
 *       half-closes its side after sending the request (rare; browsers never do) is taken for one that went away, as
 *       nginx takes it.
 *   <li>HTTP/2 streams are not checked (a reset stream reports nothing here): they wait until their timeout.
 * </ul>
 *
 * Called on the request's own thread only; not thread-safe otherwise.
 */
final class TomcatClientConnection implements ClientConnection {

    private final Request coyote;
    private boolean closed;

    TomcatClientConnection(Request coyote) {
        this.coyote = coyote;
    }

    @Override
    public boolean isClosed() {
        if (!closed) {
            AtomicBoolean bodyRead = new AtomicBoolean();
            coyote.action(ActionCode.REQUEST_BODY_FULLY_READ, bodyRead);
            closed = bodyRead.get() && probe() == 1 && probe() == 1;
        }
        return closed;
    }

    /** One non-blocking look at the socket: the bytes available, 1 when the read found the end of the stream. */
    private int probe() {
        coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
        return coyote.getAvailable();
    }

    /** Swallows whatever the request would still write and has Tomcat close the connection after it. */
    @Override
    public void abort() {
        coyote.action(ActionCode.CLOSE_NOW, null);
    }
}
