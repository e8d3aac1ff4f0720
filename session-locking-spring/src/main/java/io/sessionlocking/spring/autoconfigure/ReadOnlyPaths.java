package io.sessionlocking.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.Environment;

/**
 * The path patterns served read-only: {@code session-locking.read-only.paths} plus, unless {@code
 * session-locking.read-only.actuator=false}, Actuator's base path. The Actuator rule is added rather than being a
 * default of the list, so that setting the list (to add {@code /assets/**}) never makes Actuator calls take session
 * locks, and it follows {@code management.endpoints.web.base-path}.
 */
final class ReadOnlyPaths {

    static final String BASE_PATH = "management.endpoints.web.base-path";
    static final String DEFAULT_BASE_PATH = "/actuator";

    private ReadOnlyPaths() {}

    static List<String> of(SessionLockingProperties.ReadOnly readOnly, Environment environment) {
        List<String> paths = new ArrayList<>(readOnly.getPaths());
        if (readOnly.isActuator()) {
            String base = environment.getProperty(BASE_PATH, DEFAULT_BASE_PATH).strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            // An empty base path puts the endpoints at the root: "/**" would make every request read-only.
            if (!base.isEmpty()) {
                paths.add((base.startsWith("/") ? base : "/" + base) + "/**");
            }
        }
        return List.copyOf(paths);
    }
}
