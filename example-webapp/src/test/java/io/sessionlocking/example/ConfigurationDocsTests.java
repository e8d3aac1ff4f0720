package io.sessionlocking.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.spring.autoconfigure.SessionLockingProperties;
import io.sessionlocking.spring.cache.CacheRegenerationProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the docs true: every {@code session-locking.*} property in the configuration metadata on the classpath (the
 * spring module's jar carries it) is documented in docs/configuration.md with its real default, every property the
 * page documents exists, and every {@code session-locking:} YAML snippet in the README and docs/ binds and yields
 * valid lock settings.
 */
class ConfigurationDocsTests {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern DOCUMENTED = Pattern.compile("`(session-locking\\.[a-z0-9.\\-]+)`");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyPropertyInTheMetadataIsDocumented() throws IOException {
        Set<String> properties = metadataProperties();
        String page = Files.readString(DOCS.resolve("configuration.md"));

        assertThat(properties).as("session-locking properties in the metadata").hasSizeGreaterThan(10);
        assertThat(properties)
                .allSatisfy(property -> assertThat(page)
                        .as("docs/configuration.md documents %s", property)
                        .contains("`" + property + "`"));
    }

    @Test
    void everyDocumentedDefaultIsTheRealOne() throws IOException {
        List<String> lines = Files.readAllLines(DOCS.resolve("configuration.md"));
        BeanWrapper defaults = new BeanWrapperImpl(new SessionLockingProperties());
        BeanWrapper cacheDefaults = new BeanWrapperImpl(new CacheRegenerationProperties());
        String cachePrefix = CacheRegenerationProperties.PREFIX + ".";
        for (String property : metadataProperties()) {
            String row = lines.stream()
                    .filter(line -> line.startsWith("| `" + property + "` |"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("docs/configuration.md has no table row for " + property));
            String documented = row.split("\\|")[3].strip();
            // The cache guard's properties are a class of their own under session-locking.cache.
            Object value = property.startsWith(cachePrefix)
                    ? cacheDefaults.getPropertyValue(camelCase(property.substring(cachePrefix.length())))
                    : defaults.getPropertyValue(camelCase(property.substring("session-locking.".length())));
            String expected = describeDefault(value);
            if (expected != null) {
                assertThat(documented).as("documented default of %s", property).contains(expected);
            }
        }
        String page = String.join("\n", lines);
        assertThat(SessionLockingProperties.DEFAULT_BOT_USER_AGENTS)
                .allSatisfy(agent -> assertThat(page).contains("`" + agent + "`"));
    }

    @Test
    void everyDocumentedPropertyExists() throws IOException {
        Set<String> properties = metadataProperties();
        Matcher documented = DOCUMENTED.matcher(Files.readString(DOCS.resolve("configuration.md")));
        List<String> unknown = new ArrayList<>();
        while (documented.find()) {
            String name = documented.group(1);
            if (!properties.contains(name) && properties.stream().noneMatch(p -> p.startsWith(name + "."))) {
                unknown.add(name);
            }
        }

        assertThat(unknown)
                .as("properties docs/configuration.md names that do not exist")
                .isEmpty();
    }

    @Test
    void everyPropertyNamedAnywhereInTheDocsExists() throws IOException {
        Set<String> properties = libraryProperties();
        Pattern named =
                Pattern.compile("`((?:session-locking|management\\.endpoint\\.sessionlocks)\\.[a-z0-9.\\-]*[a-z0-9])");
        List<String> unknown = new ArrayList<>();
        for (Path page : pages()) {
            Matcher matcher = named.matcher(Files.readString(page));
            while (matcher.find()) {
                String name = matcher.group(1);
                if (!properties.contains(name) && properties.stream().noneMatch(p -> p.startsWith(name + "."))) {
                    unknown.add(page.getFileName() + ": " + name);
                }
            }
        }

        assertThat(unknown)
                .as("properties README.md and docs/ name that do not exist")
                .isEmpty();
    }

    @Test
    void everyYamlSnippetOfTheDocsBindsToValidSettings() throws IOException {
        Set<String> properties = metadataProperties();
        int snippets = 0;
        for (Path page : pages()) {
            Matcher block = YAML_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                if (block.group(1).contains("session-locking:")) {
                    assertSnippetIsValid(page, block.group(1), properties);
                    snippets++;
                }
            }
        }

        assertThat(snippets)
                .as("session-locking YAML snippets in README.md and docs/")
                .isGreaterThan(1);
    }

    /** README.md and every page of docs/. */
    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (var files = Files.list(DOCS)) {
            files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static void assertSnippetIsValid(Path page, String yaml, Set<String> properties) throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                .load(page.toString(), new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        StandardEnvironment environment = new StandardEnvironment();
        sources.forEach(environment.getPropertySources()::addFirst);
        for (PropertySource<?> source : sources) {
            if (source instanceof org.springframework.core.env.EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    String property = name.replaceAll("\\[\\d+]$", "");
                    if (property.startsWith("session-locking.")) {
                        assertThat(properties)
                                .as("%s: property %s of a snippet", page, property)
                                .contains(property);
                    }
                }
            }
        }
        ConfigurationPropertySources.attach(environment);
        SessionLockingProperties bound = Binder.get(environment)
                .bind("session-locking", SessionLockingProperties.class)
                .orElseGet(SessionLockingProperties::new);
        // Throws, naming the property, when a value is out of range.
        bound.toLockSettings();
        Binder.get(environment)
                .bind(CacheRegenerationProperties.PREFIX, CacheRegenerationProperties.class)
                .orElseGet(CacheRegenerationProperties::new)
                .toSettings();
    }

    /** How the page writes a default, or {@code null} when it is described in words (unset, a long list). */
    private static @Nullable String describeDefault(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration duration) {
            long millis = duration.toMillis();
            return "`" + (millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms") + "`";
        }
        if (value instanceof Enum<?> constant) {
            return "`" + constant.name().toLowerCase(Locale.ROOT).replace('_', '-') + "`";
        }
        if (value instanceof Collection<?> collection) {
            if (collection.isEmpty()) {
                return "empty";
            }
            return collection.size() <= 5
                    ? "`" + collection.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "`"
                    : null;
        }
        return "`" + value + "`";
    }

    private static String camelCase(String kebab) {
        StringBuilder camel = new StringBuilder(kebab.length());
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    private static Set<String> metadataProperties() throws IOException {
        return metadataProperties("session-locking.");
    }

    /** Every property of the library's metadata: its own and the endpoint's {@code management.*} ones. */
    private static Set<String> libraryProperties() throws IOException {
        Set<String> names = metadataProperties("session-locking.");
        names.addAll(metadataProperties("management.endpoint.sessionlocks."));
        return names;
    }

    private static Set<String> metadataProperties(String prefix) throws IOException {
        Set<String> names = new TreeSet<>();
        List<URL> files = Collections.list(ConfigurationDocsTests.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
        for (URL file : files) {
            try (InputStream in = file.openStream()) {
                JsonNode properties = DemoApp.JSON.readTree(in).path("properties");
                for (JsonNode property : properties) {
                    String name = property.path("name").asString();
                    if (name.startsWith(prefix)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }
}
