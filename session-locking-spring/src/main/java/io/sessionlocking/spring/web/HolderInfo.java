package io.sessionlocking.spring.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The holder description stored with each lock: {@code node=<node>;method=<method>;path=<path>;since=<epoch ms>}.
 * Never the session id or the query string, which may carry secrets.
 */
public final class HolderInfo {

    private HolderInfo() {}

    static String describe(String nodeName, RequestSessionLock request) {
        return "node=" + clean(nodeName) + ";method=" + clean(request.method()) + ";path=" + clean(request.path())
                + ";since=" + System.currentTimeMillis();
    }

    /** The fields of a stored description, in order; unknown text is kept under {@code info}. */
    public static Map<String, String> parse(String holderInfo) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : holderInfo.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                fields.put(part.substring(0, equals), part.substring(equals + 1));
            } else if (!part.isEmpty()) {
                fields.merge("info", part, (a, b) -> a + ";" + b);
            }
        }
        return fields;
    }

    private static String clean(String value) {
        return value.replace(';', ',');
    }
}
