package io.sessionlocking.spring.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The holder description stored with each lock: {@code node=<node>;method=<method>;path=<path>;since=<epoch ms>}.
 * Never the session id or the query string, which may carry secrets; and since the description travels (stored in
 * Redis, published with hand-offs, shown by the endpoint and in failure logs of other requests), path segments that
 * may be secrets themselves (a reset token, a magic link, an e-mail address: longer than {@value
 * #MAX_SEGMENT_LENGTH} characters, or with an {@code @}) are shown as {@code *}.
 */
public final class HolderInfo {

    static final int MAX_SEGMENT_LENGTH = 24;

    private HolderInfo() {}

    static String describe(String nodeName, RequestSessionLock request) {
        return "node=" + clean(nodeName) + ";method=" + clean(request.method()) + ";path="
                + clean(shownPath(request.path())) + ";since=" + System.currentTimeMillis();
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

    /** The path with every segment that may be a secret replaced by {@code *}. */
    static String shownPath(String path) {
        StringBuilder shown = new StringBuilder(path.length());
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            shown.append(segment.length() > MAX_SEGMENT_LENGTH || segment.indexOf('@') >= 0 ? "*" : segment);
            if (end < path.length()) {
                shown.append('/');
            }
            start = end + 1;
        }
        return shown.toString();
    }

    private static String clean(String value) {
        return value.replace(';', ',');
    }
}
