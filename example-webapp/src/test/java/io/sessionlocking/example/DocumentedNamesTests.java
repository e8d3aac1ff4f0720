package io.sessionlocking.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.spring.autoconfigure.SessionLockingProperties;
import java.io.IOException;
import java.lang.reflect.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs from naming classes that do not exist: every class-like name in backticks in README.md and docs/
 * ({@code SpinLockProvider}, {@code LockScripts.RELEASE}, {@code LettuceLockStores.Managed}, {@code
 * io.sessionlocking.benchmarks.LockBenchmarks}, {@code Acquired.attempts()}) must be a type of this project, found in
 * its sources with the member named, or one of the other libraries' types listed below, loaded from the classpath
 * with the member named. (Properties named in the docs are checked by {@link ConfigurationDocsTests}.)
 */
class DocumentedNamesTests {

    /** Other projects' types the docs name, by simple name: each must load and have the members the docs name. */
    private static final Map<String, String> OTHER_LIBRARIES = Map.ofEntries(
            Map.entry("SessionRepository", "org.springframework.session.SessionRepository"),
            Map.entry("CommandListener", "io.lettuce.core.event.command.CommandListener"),
            Map.entry("SessionRepositoryFilter", "org.springframework.session.web.http.SessionRepositoryFilter"),
            Map.entry("RedisSessionRepository", "org.springframework.session.data.redis.RedisSessionRepository"),
            Map.entry(
                    "RedisIndexedSessionRepository",
                    "org.springframework.session.data.redis.RedisIndexedSessionRepository"),
            Map.entry(
                    "FindByIndexNameSessionRepository", "org.springframework.session.FindByIndexNameSessionRepository"),
            Map.entry("SaveMode", "org.springframework.session.SaveMode"),
            Map.entry("SessionIdGenerator", "org.springframework.session.SessionIdGenerator"),
            Map.entry("RedisSessionMapper", "org.springframework.session.data.redis.RedisSessionMapper"),
            Map.entry("RedisConnectionFactory", "org.springframework.data.redis.connection.RedisConnectionFactory"),
            Map.entry("RedissonConnectionFactory", "org.redisson.spring.data.connection.RedissonConnectionFactory"),
            Map.entry("DeferredResult", "org.springframework.web.context.request.async.DeferredResult"),
            Map.entry("RedissonClient", "org.redisson.api.RedissonClient"),
            Map.entry("RLock", "org.redisson.api.RLock"),
            Map.entry("PathPattern", "org.springframework.web.util.pattern.PathPattern"),
            Map.entry(
                    "StreamingResponseBody",
                    "org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody"),
            Map.entry("AsyncListener", "jakarta.servlet.AsyncListener"),
            Map.entry("AsyncContext", "jakarta.servlet.AsyncContext"),
            Map.entry("SecureRandom", "java.security.SecureRandom"),
            Map.entry("LockSupport", "java.util.concurrent.locks.LockSupport"),
            Map.entry("CompletableFuture", "java.util.concurrent.CompletableFuture"),
            Map.entry("RedisCache", "org.springframework.data.redis.cache.RedisCache"),
            Map.entry("RedisCacheWriter", "org.springframework.data.redis.cache.RedisCacheWriter"),
            Map.entry("RedisCacheManager", "org.springframework.data.redis.cache.RedisCacheManager"),
            Map.entry("RedisCacheConfiguration", "org.springframework.data.redis.cache.RedisCacheConfiguration"),
            Map.entry("NullValue", "org.springframework.cache.support.NullValue"),
            Map.entry("ActionCode", "org.apache.coyote.ActionCode"),
            Map.entry("ClientResources", "io.lettuce.core.resource.ClientResources"),
            Map.entry("ConnectionWatchdog", "io.lettuce.core.protocol.ConnectionWatchdog"),
            Map.entry("RedisException", "io.lettuce.core.RedisException"),
            Map.entry("RedisTemplate", "org.springframework.data.redis.core.RedisTemplate"),
            Map.entry("DataAccessException", "org.springframework.dao.DataAccessException"),
            Map.entry(
                    "LettuceConnectionFactory",
                    "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory"));

    private static final Pattern BACKTICKED = Pattern.compile("`([^`\\s]+)`");
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("\\b(?:class|interface|enum|record|@interface)\\s+([A-Z]\\w*)");
    private static final Path ROOT = Path.of("..");

    /** Every type declared in this project's sources, top-level or nested, with the source that declares it. */
    private static final Map<String, String> projectTypes = new HashMap<>();

    private static final Map<String, String> projectPaths = new HashMap<>();

    @BeforeAll
    static void indexTheSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(DocumentedNamesTests::isSource).toList()) {
                String source = Files.readString(file);
                Matcher declared = TYPE_DECLARATION.matcher(source);
                while (declared.find()) {
                    projectTypes.merge(declared.group(1), source, (a, b) -> a + "\n" + b);
                }
                String path = file.toString().replace('\\', '/');
                String fqn = path.substring(path.indexOf("/java/") + 6, path.length() - 5)
                        .replace('/', '.');
                projectPaths.put(fqn, source);
            }
        }
        assertThat(projectTypes).containsKeys("SpinLockProvider", "SessionLockFilter", "Managed");
    }

    @Test
    void everyClassNamedInTheDocsExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path page : ConfigurationDocsTests.pages()) {
            Matcher name = BACKTICKED.matcher(Files.readString(page));
            while (name.find()) {
                String token = name.group(1).replaceAll("\\(\\)$", "");
                if (!looksLikeAType(token)) {
                    continue;
                }
                checked++;
                String problem = problemWith(token);
                if (problem != null) {
                    missing.add(page.getFileName() + ": `" + name.group(1) + "` " + problem);
                }
            }
        }

        assertThat(checked).as("class names checked").isGreaterThan(40);
        assertThat(missing).as("names in README.md and docs/ that do not exist").isEmpty();
    }

    @Test
    void theCheckCatchesNamesThatDoNotExist() {
        assertThat(problemWith("ConnectionFactoryLockStore")).isNotNull();
        assertThat(problemWith("WaiterLimit")).isNotNull();
        assertThat(problemWith("LockScripts.NO_SUCH_SCRIPT")).isNotNull();
        assertThat(problemWith("LockSupport.parkForever")).isNotNull();
        assertThat(problemWith("io.sessionlocking.core.NoSuchClass")).isNotNull();
        assertThat(problemWith("LettuceLockStores.Managed")).isNull();
        assertThat(problemWith("LockSupport.parkNanos")).isNull();
    }

    /** An upper-case start, a lower-case letter and a second capital: {@code LockStore}, not {@code SET} or a bot. */
    private static boolean looksLikeAType(String token) {
        if (!token.matches("(?:[a-z]+\\.)*[A-Z][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            return false;
        }
        String first = token.replaceFirst("^(?:[a-z]+\\.)*", "").split("\\.")[0];
        boolean camel = first.chars().filter(Character::isUpperCase).count() >= 2
                && first.chars().anyMatch(Character::isLowerCase);
        return camel && !SessionLockingProperties.DEFAULT_BOT_USER_AGENTS.contains(first);
    }

    /** Why {@code token} does not name an existing type and member, or {@code null} when it does. */
    private static @Nullable String problemWith(String token) {
        List<String> parts = new ArrayList<>(Arrays.asList(token.split("\\.")));
        String packagePart = "";
        while (!parts.isEmpty() && Character.isLowerCase(parts.get(0).charAt(0))) {
            packagePart += parts.remove(0) + ".";
        }
        String type = parts.remove(0);
        if (!packagePart.isEmpty()) {
            return projectPaths.containsKey(packagePart + type)
                    ? membersIn(projectPaths.get(packagePart + type), parts)
                    : "is not a class of this project";
        }
        String source = projectTypes.get(type);
        if (source != null) {
            return membersIn(source, parts);
        }
        String other = OTHER_LIBRARIES.get(type);
        if (other == null) {
            return "is neither a class of this project nor in DocumentedNamesTests.OTHER_LIBRARIES";
        }
        try {
            Class<?> loaded = Class.forName(other, false, DocumentedNamesTests.class.getClassLoader());
            for (String member : parts) {
                if (!hasMember(loaded, member)) {
                    return "has no member " + member + " in " + other;
                }
            }
            return null;
        } catch (ClassNotFoundException e) {
            return "does not load: " + other;
        }
    }

    private static @Nullable String membersIn(String source, List<String> members) {
        for (String member : members) {
            if (!Pattern.compile("\\b" + Pattern.quote(member) + "\\b")
                    .matcher(source)
                    .find()) {
                return "has no member " + member;
            }
        }
        return null;
    }

    private static boolean hasMember(Class<?> type, String name) {
        Stream<Member> members = Stream.of(type.getMethods(), type.getFields(), type.getDeclaredMethods())
                .flatMap(Arrays::stream);
        return members.anyMatch(member -> member.getName().equals(name))
                || Arrays.stream(type.getClasses())
                        .anyMatch(nested -> nested.getSimpleName().equals(name));
    }

    private static boolean isSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.endsWith(".java") && path.contains("/src/") && !path.contains("/target/");
    }
}
