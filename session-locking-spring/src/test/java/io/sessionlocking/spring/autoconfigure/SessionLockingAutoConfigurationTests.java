package io.sessionlocking.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.LockStore;
import io.sessionlocking.core.SessionLockListener;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockDecider;
import io.sessionlocking.spring.web.SessionLockFilter;
import io.sessionlocking.spring.web.SessionLockingRepository;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

@ExtendWith(OutputCaptureExtension.class)
class SessionLockingAutoConfigurationTests {

    private static final String MEMORY_WARNING = "No Redis client found";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SessionLockingAutoConfiguration.class))
            .withUserConfiguration(MapRepositoryConfiguration.class);

    @Test
    void wrapsTheRepositoryAndRegistersTheFilterWithTheMemoryBackend(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SessionRepository<?> repository = context.getBean(SessionRepository.class);
            assertThat(repository)
                    .isInstanceOf(SessionLockingRepository.class)
                    .isInstanceOf(MapSessionRepository.class)
                    .isNotInstanceOf(FindByIndexNameSessionRepository.class);

            FilterRegistrationBean<SessionLockFilter> registration = filterRegistration(context);
            assertThat(registration).isNotNull();
            assertThat(registration.getFilterName()).isEqualTo("sessionLockFilter");
            assertThat(registration.getFilter()).isInstanceOf(SessionLockFilter.class);
            assertThat(registration.getOrder()).isEqualTo(SessionRepositoryFilter.DEFAULT_ORDER - 1);
            assertThat(registration.determineDispatcherTypes())
                    .containsExactlyInAnyOrder(DispatcherType.ASYNC, DispatcherType.ERROR, DispatcherType.REQUEST);
            assertThat(registration.isAsyncSupported()).isTrue();

            assertThat(context).hasSingleBean(SessionLockProvider.class);
            assertThat(context).hasSingleBean(SpinLockProvider.class);
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("memory");
            assertThat(context.getBean(SpinLockProvider.class).settings().timeout())
                    .isEqualTo(LockSettings.defaults().timeout());
            assertThat(context).hasSingleBean(LockRenewer.class);
        });
        assertThat(output).contains(MEMORY_WARNING);
    }

    @Test
    void filterSitsJustOutsideAConfiguredSessionFilterOrder() {
        runner.withPropertyValues("spring.session.servlet.filter-order=10")
                .run(context ->
                        assertThat(filterRegistration(context).getOrder()).isEqualTo(9));
    }

    @Test
    void filterFollowsConfiguredSessionFilterDispatcherTypes() {
        runner.withPropertyValues("spring.session.servlet.filter-dispatcher-types=request")
                .run(context -> assertThat(filterRegistration(context).determineDispatcherTypes())
                        .containsExactly(DispatcherType.REQUEST));
    }

    @Test
    void nonLockingHandlerLeavesTheRequestPathAlone() {
        runner.withPropertyValues("session-locking.handler=non-locking").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionRepository.class))
                    .isInstanceOf(MapSessionRepository.class)
                    .isNotInstanceOf(SessionLockingRepository.class);
            assertThat(filterRegistration(context)).isNull();
            assertThat(context).doesNotHaveBean(SessionLockFilter.class);
            assertThat(context).doesNotHaveBean(SessionLockProvider.class);
            assertThat(context).doesNotHaveBean(LockRenewer.class);
        });
    }

    @Test
    void disabledAddsNothing() {
        runner.withPropertyValues("session-locking.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionRepository.class)).isInstanceOf(MapSessionRepository.class);
            assertThat(filterRegistration(context)).isNull();
            assertThat(context).doesNotHaveBean(SessionLockingProperties.class);
            assertThat(context).doesNotHaveBean(LockSettings.class);
            assertThat(context).doesNotHaveBean(LockStore.class);
            assertThat(context).doesNotHaveBean(SessionLockProvider.class);
            assertThat(context).doesNotHaveBean(LockRenewer.class);
        });
    }

    @Test
    void renewalCanBeSwitchedOffAndThenATtlShorterThanItWouldNeedIsAccepted() {
        // 600ms with the default 2s command timeout: refused with renewal on (invalidProperties).
        runner.withPropertyValues("session-locking.renew=false", "session-locking.lock-ttl=600ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(LockRenewer.class);
                    assertThat(context.getBean(SessionRepository.class)).isInstanceOf(SessionLockingRepository.class);
                });
    }

    @Test
    void indexedRepositoryStaysIndexed() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SessionLockingAutoConfiguration.class))
                .withUserConfiguration(IndexedRepositoryConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SessionRepository<?> repository = context.getBean(SessionRepository.class);
                    assertThat(repository)
                            .isInstanceOf(SessionLockingRepository.class)
                            .isInstanceOf(FindByIndexNameSessionRepository.class)
                            .isInstanceOf(IndexedMapSessionRepository.class);
                    assertThat(context.getBean(FindByIndexNameSessionRepository.class))
                            .isSameAs(repository);
                    assertThat(((FindByIndexNameSessionRepository<?>) repository).findByPrincipalName("alice"))
                            .isEmpty();
                });
    }

    @Test
    void explicitMemoryBackendNeedsNoWarning(CapturedOutput output) {
        runner.withPropertyValues("session-locking.backend=memory").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SpinLockProvider.class).storeName()).isEqualTo("memory");
        });
        assertThat(output).doesNotContain(MEMORY_WARNING);
    }

    @Test
    void userLockStoreWins() {
        runner.withBean("customLockStore", LockStore.class, io.sessionlocking.memory.InMemoryLockStore::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(LockStore.class);
                    assertThat(context.getBean(SpinLockProvider.class).storeName())
                            .isEqualTo("memory");
                    assertThat(context.getBean(LockStore.class)).isSameAs(context.getBean("customLockStore"));
                });
    }

    @Test
    void userLockSettingsWin() {
        LockSettings custom = LockSettings.builder().keyNamespace("custom").build();
        runner.withBean(LockSettings.class, () -> custom).run(context -> {
            assertThat(context).hasSingleBean(LockSettings.class);
            assertThat(context.getBean(SessionLockProvider.class).settings()).isSameAs(custom);
        });
    }

    @Test
    void explicitRedisBackendWithoutAConnectionFactoryFailsStartup() {
        runner.withPropertyValues("session-locking.backend=redis").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("RedisConnectionFactory");
        });
    }

    @Test
    void nonWebContextDoesNotWrapOrRegisterTheFilter() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SessionLockingAutoConfiguration.class))
                .withUserConfiguration(MapRepositoryConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SessionRepository.class))
                            .isInstanceOf(MapSessionRepository.class)
                            .isNotInstanceOf(SessionLockingRepository.class);
                    assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
                    assertThat(context).doesNotHaveBean(SessionLockProvider.class);
                });
    }

    static Stream<Arguments> invalidProperties() {
        return Stream.of(
                Arguments.of(List.of("session-locking.retry-delay=0ms"), "retry-delay", "0ms", "[1ms, 24h]"),
                Arguments.of(List.of("session-locking.timeout-fraction=1.5"), "timeout-fraction", "1.5", "(0, 1]"),
                Arguments.of(List.of("session-locking.max-request-time=0s"), "max-request-time", "0ms", "[1ms, 24h]"),
                Arguments.of(
                        List.of("session-locking.lock-ttl=5ms"),
                        "lock-ttl",
                        "5ms",
                        "[100ms, 24h], a few round trips at least"),
                Arguments.of(
                        List.of("session-locking.lock-ttl=600ms"),
                        "lock-ttl",
                        "600ms",
                        "[3s, 24h], at least 1.5 x the command timeout: renewal extends the lock every third of its "
                                + "TTL and an extension may take the command timeout"),
                Arguments.of(
                        List.of("session-locking.lock-ttl=600ms", "session-locking.command-timeout=500ms"),
                        "lock-ttl",
                        "600ms",
                        "[750ms, 24h], at least 1.5 x the command timeout: renewal extends the lock every third of its "
                                + "TTL and an extension may take the command timeout"),
                Arguments.of(
                        List.of("session-locking.max-request-time=1s", "session-locking.command-timeout=1s"),
                        "command-timeout",
                        "1s",
                        "[1ms, 666ms], at most 2/3 of the lock TTL: renewal extends the lock every third of its "
                                + "TTL and an extension may take the command timeout"),
                Arguments.of(
                        List.of("session-locking.lock-ttl=150ms", "session-locking.retry-delay=200ms"),
                        "retry-delay",
                        "200ms",
                        "[1ms, 150ms], at most the lock TTL"),
                Arguments.of(
                        List.of("session-locking.max-request-time=5ms", "session-locking.lock-ttl=1s"),
                        "max-request-time",
                        "5ms",
                        "[12500us, 24h], the timeout, timeout-fraction x max-request-time, must be at least the retry "
                                + "delay"),
                Arguments.of(
                        List.of("session-locking.timeout=60s", "session-locking.max-request-time=30s"),
                        "timeout",
                        "1m",
                        "[1ms, 30s], at most the max request time"),
                Arguments.of(
                        List.of("session-locking.max-waiters-per-session=0"),
                        "max-waiters-per-session",
                        "0",
                        "[1, 100000]"),
                Arguments.of(
                        List.of("session-locking.max-waiters-per-node=0"), "max-waiters-per-node", "0", "[1, 100000]"),
                Arguments.of(
                        List.of("session-locking.key-namespace=a b"),
                        "key-namespace",
                        "a b",
                        "1 to 128 printable ASCII characters without spaces, '{' or '}'"),
                Arguments.of(List.of("session-locking.failure-status=200"), "failure-status", "200", "[400, 599]"),
                Arguments.of(List.of("session-locking.command-timeout=0s"), "command-timeout", "0ms", "[1ms, 1m]"),
                Arguments.of(
                        List.of("session-locking.max-retry-delay=5ms", "session-locking.backoff=exponential"),
                        "max-retry-delay",
                        "5ms",
                        "[10ms, 24h], at least the retry delay"),
                Arguments.of(List.of("session-locking.retry-after=-1s"), "retry-after", "-1000ms", "0s or more"),
                Arguments.of(
                        List.of("session-locking.node-name=web;1"),
                        "node-name",
                        "web;1",
                        "1 to 64 printable ASCII characters without ';'"));
    }

    @ParameterizedTest
    @MethodSource("invalidProperties")
    void invalidPropertyFailsStartupNamingItsValueAndRange(
            List<String> properties, String property, String value, String range) {
        runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                        assertThat(e.getName()).isEqualTo("session-locking." + property);
                        assertThat(e.getValue()).isEqualTo(value);
                        assertThat(e.getReason()).isEqualTo("allowed range is " + range);
                    });
        });
    }

    @Test
    void anUnknownBackendFailsStartupNamingTheChoices() {
        runner.withPropertyValues("session-locking.backend=foo").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                        assertThat(e.getName()).isEqualTo("session-locking.backend");
                        assertThat(e.getReason()).isEqualTo("allowed values are redis, redisson and memory");
                    });
        });
    }

    @Test
    void aMisspeltPropertyFailsStartupNamingIt() {
        runner.withPropertyValues("session-locking.retry-dealy=20ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOfSatisfying(
                            UnboundConfigurationPropertiesException.class,
                            e -> assertThat(e.getUnboundProperties())
                                    .extracting(property -> property.getName().toString())
                                    .containsExactly("session-locking.retry-dealy"));
        });
    }

    @Test
    void aMisspeltNestedPropertyFailsStartupToo() {
        runner.withPropertyValues("session-locking.read-only.path=/assets/**")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(UnboundConfigurationPropertiesException.class)
                        .hasMessageContaining("session-locking.read-only.path"));
    }

    @Test
    void theCachePropertiesAreKnownToTheMisspeltKeyCheck() {
        runner.withPropertyValues(
                        "session-locking.cache.enabled=false",
                        "session-locking.cache.stale-while-revalidate=30s",
                        "session-locking.cache.cache-names=reports")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SessionLockingProperties.class)
                                    .getCache()
                                    .getStaleWhileRevalidate())
                            .isEqualTo(Duration.ofSeconds(30));
                });
        runner.withPropertyValues("session-locking.cache.stale-while-revalidat=30s")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(UnboundConfigurationPropertiesException.class)
                        .hasMessageContaining("session-locking.cache.stale-while-revalidat"));
    }

    @Test
    void invalidLockSettingsOfTheApplicationsOwnAreExplainedAsSuch() {
        runner.withBean(
                        LockSettings.class,
                        () -> LockSettings.builder()
                                .lockTtl(java.time.Duration.ofMillis(5))
                                .build())
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis =
                            new InvalidLockSettingsFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .isEqualTo("Invalid session lock setting 'lockTtl': 5ms is outside the allowed range "
                                    + "[100ms, 24h], a few round trips at least.");
                    assertThat(analysis.getAction()).contains("'session-locking.lock-ttl'");
                });
    }

    @Test
    void anApplicationsOwnSettingsThatRenewalCannotKeepFailStartupAtTheRenewer() {
        LockSettings own = LockSettings.builder()
                .lockTtl(java.time.Duration.ofMillis(600))
                .build(); // the default 2s command timeout needs a TTL of 3s
        runner.withBean(LockSettings.class, () -> own).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidLockSettingsFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .startsWith("Invalid session lock setting 'lockTtl': 600ms is outside the allowed range "
                            + "[3s, 24h], at least 1.5 x the command timeout");
            assertThat(analysis.getAction()).contains("'session-locking.lock-ttl'");
        });
        runner.withBean(LockSettings.class, () -> own)
                .withPropertyValues("session-locking.renew=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void listenerBeansReceiveLockEvents() {
        runner.withUserConfiguration(ListenerConfiguration.class).run(context -> {
            RecordingListener listener = context.getBean(RecordingListener.class);
            context.getBean(SessionLockProvider.class)
                    .acquire("some-valid-session-id-123")
                    .release();
            assertThat(listener.events).containsExactly("acquired some****", "released some****");
        });
    }

    @Test
    void requestThroughTheFilterLocksTheSessionAndReleasesItAtTheEnd() {
        runner.withUserConfiguration(ListenerConfiguration.class).run(context -> {
            RecordingListener listener = context.getBean(RecordingListener.class);
            @SuppressWarnings("unchecked")
            SessionRepository<Session> repository = context.getBean(SessionRepository.class);
            Session session = repository.createSession();
            repository.save(session);
            assertThat(listener.events).isEmpty();

            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/cart");
            AtomicReference<Integer> heldInRequest = new AtomicReference<>();
            filterRegistration(context).getFilter().doFilter(request, new MockHttpServletResponse(), (req, res) -> {
                assertThat(repository.findById(session.getId())).isNotNull();
                assertThat(repository.findById(session.getId())).isNotNull();
                heldInRequest.set((RequestSessionLock.current().state() == RequestSessionLock.State.HELD ? 1 : 0));
                assertThat(listener.events).hasSize(1);
            });

            assertThat(heldInRequest).hasValue(1);
            assertThat(listener.events).hasSize(2);
            assertThat(listener.events.get(0)).startsWith("acquired ");
            assertThat(listener.events.get(1)).startsWith("released ");
            assertThat(RequestSessionLock.current()).isNull();
        });
    }

    @Test
    void readOnlyRequestLoadsTheSessionWithoutItsLock() {
        runner.withUserConfiguration(ListenerConfiguration.class).run(context -> {
            RecordingListener listener = context.getBean(RecordingListener.class);
            @SuppressWarnings("unchecked")
            SessionRepository<Session> repository = context.getBean(SessionRepository.class);
            Session session = repository.createSession();
            session.setAttribute("cart", "1 item");
            repository.save(session);

            MockHttpServletRequest request = request("GET", "/", "Mozilla/5.0 (compatible; Googlebot/2.1)");
            AtomicReference<Integer> heldInRequest = new AtomicReference<>();
            filterRegistration(context).getFilter().doFilter(request, new MockHttpServletResponse(), (req, res) -> {
                Session loaded = repository.findById(session.getId());
                assertThat(loaded).isNotNull();
                assertThat(loaded.<String>getAttribute("cart")).isEqualTo("1 item");
                heldInRequest.set((RequestSessionLock.current().state() == RequestSessionLock.State.HELD ? 1 : 0));
            });

            assertThat(heldInRequest).hasValue(0);
            assertThat(listener.events).isEmpty();
        });
    }

    @Test
    void defaultRulesDecideReadOnlyRequests() {
        runner.run(context -> {
            assertThat(readOnlyReason(context, request("HEAD", "/", null))).isEqualTo("method");
            assertThat(readOnlyReason(context, request("OPTIONS", "/", null))).isEqualTo("method");
            assertThat(readOnlyReason(context, request("GET", "/", "Mozilla/5.0 (compatible; Googlebot/2.1)")))
                    .isEqualTo("bot");
            assertThat(readOnlyReason(context, request("GET", "/", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")))
                    .isNull();
            assertThat(readOnlyReason(context, request("GET", "/static/x.css", null)))
                    .isNull();
            assertThat(readOnlyReason(context, request("POST", "/cart", null))).isNull();
        });
    }

    @Test
    void readOnlyPathsAreServedReadOnly() {
        runner.withPropertyValues("session-locking.read-only.paths=/static/**").run(context -> {
            assertThat(readOnlyReason(context, request("GET", "/static/x.css", null)))
                    .isEqualTo("path");
            assertThat(readOnlyReason(context, request("GET", "/cart/1", null))).isNull();
            assertThat(readOnlyReason(context, request("GET", "/actuator/sessions", null)))
                    .as("setting the list keeps Actuator read-only")
                    .isEqualTo("path");
        });
    }

    @Test
    void actuatorPathsFollowTheManagementBasePathAndCanBeLocked() {
        runner.withPropertyValues("management.endpoints.web.base-path=/manage").run(context -> {
            assertThat(readOnlyReason(context, request("GET", "/manage/sessions", null)))
                    .isEqualTo("path");
            assertThat(readOnlyReason(context, request("GET", "/actuator/sessions", null)))
                    .isNull();
        });
        runner.withPropertyValues("session-locking.read-only.actuator=false")
                .run(context -> assertThat(readOnlyReason(context, request("GET", "/actuator/sessions", null)))
                        .isNull());
        runner.withPropertyValues("management.endpoints.web.base-path=/")
                .run(context -> assertThat(readOnlyReason(context, request("GET", "/cart", null)))
                        .as("endpoints at the root must not make every request read-only")
                        .isNull());
    }

    @Test
    void onlyLockedPathsLock() {
        runner.withPropertyValues("session-locking.read-only.locked-paths=/cart/**")
                .run(context -> {
                    assertThat(readOnlyReason(context, request("GET", "/other", null)))
                            .isEqualTo("path");
                    assertThat(readOnlyReason(context, request("GET", "/cart/1", null)))
                            .isNull();
                });
    }

    @Test
    void readOnlyRulesCanBeReplaced() {
        runner.withPropertyValues("session-locking.read-only.methods=GET", "session-locking.read-only.bot-user-agents=")
                .run(context -> {
                    assertThat(readOnlyReason(context, request("GET", "/", null)))
                            .isEqualTo("method");
                    assertThat(readOnlyReason(context, request("HEAD", "/", null)))
                            .isNull();
                    assertThat(readOnlyReason(context, request("POST", "/", "Googlebot/2.1")))
                            .isNull();
                });
    }

    @Test
    void customDeciderIsConsultedAfterTheRules() {
        runner.withUserConfiguration(DeciderConfiguration.class).run(context -> {
            assertThat(readOnlyReason(context, request("GET", "/", null))).isNull();
            MockHttpServletRequest custom = request("GET", "/", null);
            custom.addHeader("X-Read-Only", "yes");
            assertThat(readOnlyReason(context, custom)).isEqualTo("custom");
            MockHttpServletRequest head = request("HEAD", "/", null);
            head.addHeader("X-Read-Only", "yes");
            assertThat(readOnlyReason(context, head)).isEqualTo("method");
        });
    }

    private static MockHttpServletRequest request(String method, String uri, @Nullable String userAgent) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        if (userAgent != null) {
            request.addHeader("User-Agent", userAgent);
        }
        return request;
    }

    private static @Nullable String readOnlyReason(ApplicationContext context, MockHttpServletRequest request)
            throws Exception {
        AtomicReference<String> reason = new AtomicReference<>("<not called>");
        filterRegistration(context).getFilter().doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            RequestSessionLock locks = RequestSessionLock.current();
            assertThat(locks).isNotNull();
            reason.set(locks.readOnlyReason());
        });
        assertThat(reason.get()).isNotEqualTo("<not called>");
        return reason.get();
    }

    @SuppressWarnings("unchecked")
    private static @Nullable FilterRegistrationBean<SessionLockFilter> filterRegistration(ApplicationContext context) {
        return context.getBeansOfType(FilterRegistrationBean.class).values().stream()
                .filter(registration -> "sessionLockFilter".equals(registration.getFilterName()))
                .findFirst()
                .map(registration -> (FilterRegistrationBean<SessionLockFilter>) registration)
                .orElse(null);
    }

    @Test
    void immediateFlushModeIsFlaggedSinceReadOnlyWritesWouldBypassTheRepository(CapturedOutput output) {
        runner.withPropertyValues("spring.session.data.redis.flush-mode=immediate")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("spring.session.data.redis.flush-mode=immediate");
    }

    @Configuration(proxyBeanMethods = false)
    static class MapRepositoryConfiguration {

        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class IndexedRepositoryConfiguration {

        @Bean
        IndexedMapSessionRepository sessionRepository() {
            return new IndexedMapSessionRepository();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerConfiguration {

        @Bean
        RecordingListener recordingListener() {
            return new RecordingListener();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DeciderConfiguration {

        @Bean
        SessionLockDecider headerDecider() {
            return request -> request.getHeader("X-Read-Only") != null ? "custom" : null;
        }
    }

    static final class RecordingListener implements SessionLockListener {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onAcquired(Acquired event) {
            events.add("acquired " + event.maskedSessionId());
        }

        @Override
        public void onReleased(Released event) {
            events.add("released " + event.maskedSessionId());
        }
    }

    /** A minimal indexed repository over a map; look-ups by index find nothing. */
    static class IndexedMapSessionRepository implements FindByIndexNameSessionRepository<MapSession> {

        private final MapSessionRepository delegate = new MapSessionRepository(new ConcurrentHashMap<>());

        @Override
        public MapSession createSession() {
            return delegate.createSession();
        }

        @Override
        public void save(MapSession session) {
            delegate.save(session);
        }

        @Override
        public @Nullable MapSession findById(String id) {
            return delegate.findById(id);
        }

        @Override
        public void deleteById(String id) {
            delegate.deleteById(id);
        }

        @Override
        public Map<String, MapSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
            return Map.of();
        }
    }
}
