package io.sessionlocking.spring.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This JVM's name in lock holder descriptions: {@code <host>/<pid>}. */
public final class NodeNames {

    private NodeNames() {}

    /** {@code <host>/<pid>}. */
    public static String local() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** Public entry for the auto-configuration. */
    public static String of(String applicationName) {
        return applicationName.isBlank() ? local() : applicationName + "@" + local();
    }
}
