package io.sessionlocking.spring.web.tomcat;

import io.sessionlocking.spring.web.ClientConnection;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Gives each request its {@link ClientConnection} ({@link TomcatClientConnection}), so that a request waiting for its
 * session's lock gives up when its client has gone. A valve, because only Tomcat's own request reaches the coyote
 * request; the servlet API does not. Registered on the engine by the auto-configuration.
 */
public final class ClientConnectionValve extends ValveBase {

    public ClientConnectionValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(ClientConnection.ATTRIBUTE, new TomcatClientConnection(request.getCoyoteRequest()));
        getNext().invoke(request, response);
    }
}
