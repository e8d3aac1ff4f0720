package io.sessionlocking.spring.web;

import io.sessionlocking.core.Abandonment;
import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The connection of the client that sent a request, as far as the servlet container lets an application look at it
 * while the request waits: whether the client has closed it, and a way to end it without a response. The container's
 * integration (for Tomcat, {@link io.sessionlocking.spring.web.tomcat.ClientConnectionValve}) stores one in each request
 * under {@link #ATTRIBUTE}; without one, a request's lock wait is never abandoned and lasts until its timeout.
 *
 * <p>{@link #isClosed()} is called on the request's own thread between the lock wait's attempts, so it must be cheap,
 * must not block, and must never consume what the application still has to read.
 */
public interface ClientConnection {

    /** The request attribute under which the container integration stores the request's connection. */
    String ATTRIBUTE = ClientConnection.class.getName();

    /** Whether the client is known to have closed the connection; once {@code true}, it stays so. */
    boolean isClosed();

    /** Ends the connection without writing a response (nobody would read it). */
    void abort();

    /** The connection stored in {@code request}, or {@code null} when the container gives none. */
    static @Nullable ClientConnection of(@Nullable ServletRequest request) {
        return request != null && request.getAttribute(ATTRIBUTE) instanceof ClientConnection connection
                ? connection
                : null;
    }

    /** The lock wait's abandonment of {@code request}: its client closing the connection, or never. */
    static Abandonment abandonmentOf(@Nullable ServletRequest request) {
        ClientConnection connection = of(request);
        return connection != null ? connection::isClosed : Abandonment.NEVER;
    }
}
