package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The IDE metadata this module ships, as the configuration processor wrote it into the build's classes: every
 * {@code session-locking.*} property is described, has the real default as its {@code defaultValue} whenever it has
 * one, and every enum property offers each of its values as a hint. A new property fails here until it is complete.
 */
class ConfigurationMetadataTests {

    private static final String PREFIX = "session-locking.";
    private static final String CACHE_PREFIX = "session-locking.cache.";
    private static final Map<String, JsonNode> properties = new LinkedHashMap<>();
    private static final Map<String, List<String>> hints = new LinkedHashMap<>();

    @BeforeAll
    static void readMetadata() throws IOException {
        URL file = SessionLockingProperties.class.getResource("/META-INF/spring-configuration-metadata.json");
        assertThat(file).as("the processor's output of this module").isNotNull();
        JsonNode metadata;
        try (InputStream in = file.openStream()) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            if (name.startsWith(PREFIX)) {
                properties.put(name, property);
            }
        }
        for (JsonNode hint : metadata.path("hints")) {
            List<String> values = new ArrayList<>();
            hint.path("values").forEach(value -> values.add(value.path("value").asString()));
            hints.put(hint.path("name").asString(), values);
        }
    }

    @Test
    void everyPropertyIsDescribed() {
        assertThat(properties).hasSizeGreaterThan(20);
        assertThat(properties.values())
                .allSatisfy(property -> assertThat(property.path("description").asString())
                        .as("description of %s", property.path("name").asString())
                        .isNotBlank());
    }

    @Test
    void everyDefaultIsInTheMetadata() {
        List<String> checked = new ArrayList<>();
        properties.forEach((name, property) -> {
            Object value = defaultsOf(name).getPropertyValue(beanPath(name));
            if (value == null) {
                assertThat(property.has("defaultValue"))
                        .as("%s has no default, so its metadata claims none", name)
                        .isFalse();
                return;
            }
            assertThat(property.has("defaultValue"))
                    .as("%s has the default %s: the metadata must say so", name, value)
                    .isTrue();
            JsonNode defaultValue = property.path("defaultValue");
            Object written = metadataValue(defaultValue);
            if (value instanceof Duration duration) {
                // Durations compare by value: 0s, 0ms and a bare 0 (milliseconds, as Boot reads it) are one default.
                Duration parsed = defaultValue.isNumber()
                        ? Duration.ofMillis(defaultValue.asLong())
                        : DurationStyle.detectAndParse(defaultValue.asString());
                assertThat(parsed)
                        .as("metadata default of %s (%s)", name, written)
                        .isEqualTo(duration);
            } else {
                assertThat(written).as("metadata default of %s", name).isEqualTo(expected(value));
            }
            checked.add(name);
        });
        assertThat(checked)
                .contains(PREFIX + "retry-delay", PREFIX + "read-only.bot-user-agents", CACHE_PREFIX + "lock-ttl");
    }

    @Test
    void everyEnumPropertyHintsEachOfItsValues() {
        properties.keySet().forEach(name -> {
            Class<?> type = defaultsOf(name).getPropertyType(beanPath(name));
            if (type != null && type.isEnum()) {
                List<String> values = new ArrayList<>();
                for (Object constant : type.getEnumConstants()) {
                    values.add(kebab((Enum<?>) constant));
                }
                assertThat(hints.get(name)).as("value hints of %s", name).containsExactlyInAnyOrderElementsOf(values);
            }
        });
        assertThat(hints).containsKeys(PREFIX + "handler", PREFIX + "backend", PREFIX + "on-timeout");
    }

    /** The properties class a property belongs to: the cache's own under {@value #CACHE_PREFIX}, else the lock's. */
    private static BeanWrapper defaultsOf(String property) {
        return new BeanWrapperImpl(
                property.startsWith(CACHE_PREFIX)
                        ? new io.sessionlocking.spring.cache.CacheRegenerationProperties()
                        : new SessionLockingProperties());
    }

    private static String beanPath(String property) {
        StringBuilder path = new StringBuilder();
        boolean upper = false;
        String prefix = property.startsWith(CACHE_PREFIX) ? CACHE_PREFIX : PREFIX;
        for (char c : property.substring(prefix.length()).toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                path.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return path.toString();
    }

    private static @Nullable Object metadataValue(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asString()));
            return items;
        }
        // Numbers compare by value: the processor may write 1.0 as 1.
        return value.isNumber() ? (Object) String.valueOf(value.asDouble()) : value.asString();
    }

    /** The default as the metadata writes it: {@code 10ms}, {@code fixed}, {@code 0.8}, a list of strings. */
    private static Object expected(Object value) {
        if (value instanceof Duration duration) {
            return DurationStyle.SIMPLE.print(duration, unitOf(duration));
        }
        if (value instanceof Enum<?> constant) {
            return kebab(constant);
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        if (value instanceof Number number) {
            return String.valueOf(number.doubleValue());
        }
        return String.valueOf(value);
    }

    private static java.time.temporal.ChronoUnit unitOf(Duration duration) {
        long millis = duration.toMillis();
        return millis % 60_000 == 0 && millis > 0
                ? java.time.temporal.ChronoUnit.MINUTES
                : millis % 1000 == 0 && millis > 0
                        ? java.time.temporal.ChronoUnit.SECONDS
                        : java.time.temporal.ChronoUnit.MILLIS;
    }

    private static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
