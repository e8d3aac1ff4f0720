package io.sessionlocking.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.UrlPathHelper;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The configured read-only rules: HTTP methods, path patterns ({@link PathPattern} syntax, matched against the path
 * within the application), and bot User-Agents (case-insensitive substrings, as Spryker matches them).
 *
 * <p>Path rules: a request whose path matches a {@code readOnlyPaths} pattern is read-only; when {@code lockedPaths} is
 * not empty, only requests whose path matches one of them lock, every other one is read-only. An include list is the
 * safer choice: an exclude list misses the dynamic URLs added later. Immutable and thread-safe.
 */
public final class RequestRulesDecider implements SessionLockDecider {

    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String BOT = "bot";

    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final Set<String> readOnlyMethods;
    private final List<PathPattern> readOnlyPaths;
    private final List<PathPattern> lockedPaths;
    private final List<String> botAgents;

    public RequestRulesDecider(
            Set<String> readOnlyMethods, List<String> readOnlyPaths, List<String> lockedPaths, List<String> botAgents) {
        this.readOnlyMethods =
                readOnlyMethods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.readOnlyPaths = parse(readOnlyPaths);
        this.lockedPaths = parse(lockedPaths);
        this.botAgents = botAgents.stream()
                .filter(agent -> !agent.isBlank())
                .map(agent -> agent.toLowerCase(Locale.ROOT))
                .toList();
    }

    @Override
    public @Nullable String readOnlyReason(HttpServletRequest request) {
        if (readOnlyMethods.contains(request.getMethod())) {
            return METHOD;
        }
        if (!readOnlyPaths.isEmpty() || !lockedPaths.isEmpty()) {
            PathContainer path = PathContainer.parsePath(pathWithinApplication(request));
            if (matchesAny(readOnlyPaths, path) || (!lockedPaths.isEmpty() && !matchesAny(lockedPaths, path))) {
                return PATH;
            }
        }
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null && !botAgents.isEmpty()) {
            String agent = userAgent.toLowerCase(Locale.ROOT);
            for (String bot : botAgents) {
                if (agent.contains(bot)) {
                    return BOT;
                }
            }
        }
        return null;
    }

    /**
     * The path within the application, decoded, without the query string and without {@code ;} path parameters
     * (such as {@code ;jsessionid=...}), so that rules match what handlers see and logs never carry a session id.
     */
    static String pathWithinApplication(HttpServletRequest request) {
        return PATHS.getPathWithinApplication(request);
    }

    private static boolean matchesAny(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> parse(List<String> patterns) {
        return patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }
}
