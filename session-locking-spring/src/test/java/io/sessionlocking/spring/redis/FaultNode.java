package io.sessionlocking.spring.redis;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.RecordingListener;
import io.sessionlocking.core.SessionLockProvider;
import io.sessionlocking.core.SpinLockProvider;
import io.sessionlocking.redis.LettuceLockStores;
import io.sessionlocking.spring.web.LockRenewer;
import io.sessionlocking.spring.web.LockingSessionRepository;
import io.sessionlocking.spring.web.OnLostLock;
import io.sessionlocking.spring.web.RequestSessionLock;
import io.sessionlocking.spring.web.SessionLockPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * One application node of the fault tests, without a servlet container: its own Lettuce connections (to Redis directly
 * or through a {@code TcpProxy}), the fused repository or the decorator around Spring Session's {@code
 * RedisSessionRepository}, and the renewal watchdog. {@link #request} runs what a request through {@code
 * SessionLockFilter} and {@code SessionRepositoryFilter} runs: load (waiting for the lock), change, save, end.
 * Thread-safe: each request binds its own {@link RequestSessionLock} to its thread.
 */
final class FaultNode implements AutoCloseable {

    /** Which repository locks the sessions. */
    enum Repository {
        FUSED,
        DECORATOR
    }

    final Repository kind;
    final LockSettings settings;
    final RecordingListener listener;
    private final FusedSessions data;
    private final @Nullable LettuceConnectionFactory lockConnections;
    private final LettuceLockStores.@Nullable Managed lockStore;
    private final SessionLockProvider provider;
    private final SessionRepository<Session> repository;
    private final @Nullable LockRenewer renewer;
    private final SessionLockPolicy policy;

    private FaultNode(
            Repository kind,
            LettuceConnectionFactory dataConnections,
            @Nullable LettuceConnectionFactory lockConnections,
            LockSettings settings,
            boolean renew,
            OnLostLock onLostLock) {
        this.kind = kind;
        this.settings = settings;
        this.data = new FusedSessions(dataConnections, settings);
        if (kind == Repository.FUSED) {
            this.listener = data.listener;
            this.lockConnections = null;
            this.lockStore = null;
            this.provider = data.sessions.provider();
            this.repository = cast(data.repository);
        } else {
            this.listener = new RecordingListener();
            this.lockConnections = Objects.requireNonNull(lockConnections, "lockConnections");
            this.lockStore = LettuceLockStores.connectWith(lockConnections.getRequiredNativeClient());
            this.provider = new SpinLockProvider(lockStore.store(), settings, listener);
            this.repository = cast(new LockingSessionRepository(data.plain, provider));
        }
        this.renewer = renew ? new LockRenewer(settings) : null;
        this.policy = SessionLockPolicy.builder()
                .renewer(renewer)
                .onLostLock(onLostLock)
                .build();
    }

    private FaultNode(
            Repository kind, int dataPort, int lockPort, LockSettings settings, Duration clientTimeout, boolean renew) {
        this(
                kind,
                connect(new RedisStandaloneConfiguration("127.0.0.1", dataPort), clientTimeout),
                kind == Repository.FUSED
                        ? null
                        : connect(new RedisStandaloneConfiguration("127.0.0.1", lockPort), clientTimeout),
                settings,
                renew,
                OnLostLock.FAIL);
        if (kind == Repository.FUSED && dataPort != lockPort) {
            throw new IllegalArgumentException("The fused repository keeps its lock with the data");
        }
    }

    /** A node whose data and locks go to {@code port}, with renewal and {@code on-lost-lock: fail}. */
    static FaultNode start(Repository kind, int port, LockSettings settings, Duration clientTimeout) {
        return new FaultNode(kind, port, port, settings, clientTimeout, true);
    }

    /** A node as {@link #start}, renewing or not. */
    static FaultNode start(Repository kind, int port, LockSettings settings, Duration clientTimeout, boolean renew) {
        return new FaultNode(kind, port, port, settings, clientTimeout, renew);
    }

    /** A decorator node whose session data and lock keys go through different ports (e.g. only one proxied). */
    static FaultNode decorator(
            int dataPort, int lockPort, LockSettings settings, Duration clientTimeout, boolean renew) {
        return new FaultNode(Repository.DECORATOR, dataPort, lockPort, settings, clientTimeout, renew);
    }

    /**
     * A fused node on a Redis Cluster, seeded with {@code seeds} ({@code host:port}), whose client refreshes its view
     * of the topology on every redirection, as after a failover.
     */
    static FaultNode fusedOnCluster(List<String> seeds, LockSettings settings, Duration clientTimeout) {
        ClusterClientOptions options = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisClusterConfiguration(seeds),
                LettuceClientConfiguration.builder()
                        .commandTimeout(clientTimeout)
                        .clientOptions(options)
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        return new FaultNode(Repository.FUSED, factory, null, settings, true, OnLostLock.FAIL);
    }

    private static LettuceConnectionFactory connect(RedisStandaloneConfiguration redis, Duration clientTimeout) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                redis,
                LettuceClientConfiguration.builder()
                        .commandTimeout(clientTimeout)
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @SuppressWarnings("unchecked")
    private static SessionRepository<Session> cast(SessionRepository<? extends Session> repository) {
        return (SessionRepository<Session>) repository;
    }

    SessionLockProvider provider() {
        return provider;
    }

    /** The locking repository itself, for calls outside a request. */
    SessionRepository<Session> repository() {
        return repository;
    }

    /** Stores a new session with {@code attributes}, outside any request; returns its id. */
    String createSession(Map<String, Object> attributes) {
        Session session = data.plain.createSession();
        attributes.forEach(session::setAttribute);
        cast(data.plain).save(session);
        return session.getId();
    }

    /** The session as stored now, read without any lock, or {@code null}. */
    @Nullable
    Session read(String id) {
        return data.plain.findById(id);
    }

    /**
     * One request of session {@code id}: loads it under its lock (waiting for it), lets {@code work} change it, saves
     * it (the save that Spring Session makes at the end of the request), ends the request (releases what is left).
     *
     * @return what {@code work} returned, or {@code null} when the session does not exist
     * @throws RuntimeException whatever the load or save threw: the lock could not be had ({@code
     *     LockCouldNotBeAcquiredException}), the save was fenced out ({@code SessionLockLostException}), Redis failed
     */
    <T> @Nullable T request(String id, Function<Session, T> work) {
        RequestSessionLock request = new RequestSessionLock(policy, null, "POST", "/fault", null);
        RequestSessionLock previous = RequestSessionLock.bind(request);
        try {
            Session session = repository.findById(id);
            if (session == null) {
                return null;
            }
            T result = work.apply(session);
            repository.save(session);
            return result;
        } finally {
            request.end();
            RequestSessionLock.restore(previous);
        }
    }

    /**
     * Starts a request that loads {@code id} under its lock (waiting for it) and keeps holding it until {@link
     * Held#end}: for a holder that is slow, stalls or never finishes.
     */
    Held hold(String id) {
        RequestSessionLock request = new RequestSessionLock(policy, null, "POST", "/held", null);
        RequestSessionLock previous = RequestSessionLock.bind(request);
        try {
            return new Held(request, Objects.requireNonNull(repository.findById(id), "no such session"));
        } finally {
            RequestSessionLock.restore(previous);
        }
    }

    /** A request started by {@link #hold}; its operations may run on any thread. */
    final class Held {

        private final RequestSessionLock request;
        final Session session;

        private Held(RequestSessionLock request, Session session) {
            this.request = request;
            this.session = session;
        }

        /** The save Spring Session makes at the end of the request. */
        void save() {
            RequestSessionLock previous = RequestSessionLock.bind(request);
            try {
                repository.save(session);
            } finally {
                RequestSessionLock.restore(previous);
            }
        }

        /**
         * Writes the session's changes and keeps the lock: a fenced write of the fused repository's {@code
         * flush-mode: immediate}, or the decorator's save (which releases only at the end of the request).
         */
        void writeKeepingLock() {
            RequestSessionLock previous = RequestSessionLock.bind(request);
            try {
                if (kind == Repository.FUSED) {
                    data.repository.flush((LockingRedisSession) session);
                } else {
                    repository.save(session);
                }
            } finally {
                RequestSessionLock.restore(previous);
            }
        }

        RequestSessionLock.State state() {
            return request.state();
        }

        /** Ends the request: releases the lock if it still holds it. */
        void end() {
            request.end();
        }
    }

    @Override
    public void close() throws Exception {
        RequestSessionLock.restore(null);
        if (renewer != null) {
            renewer.close();
        }
        if (lockStore != null) {
            lockStore.close();
        }
        if (lockConnections != null) {
            lockConnections.destroy();
        }
        if (data.sessions.store() instanceof AutoCloseable handOffs) {
            handOffs.close();
        }
        data.close();
    }
}
