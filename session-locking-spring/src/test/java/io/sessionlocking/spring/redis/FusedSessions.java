package io.sessionlocking.spring.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.sessionlocking.core.LockSettings;
import io.sessionlocking.core.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * The fused repository on a Lettuce connection factory to one Redis, next to Spring Session's own {@link
 * RedisSessionRepository} on the same Redis (a node not yet upgraded), with a count of the commands the client sent.
 */
class FusedSessions implements AutoCloseable {

    final RedisConnectionFactory connectionFactory;
    final RecordingListener listener = new RecordingListener();
    final LockingRedisSessions sessions;
    final LockingRedisSessionRepository repository;
    final SessionRepository<? extends Session> plain;
    /** Every command this client sent, by name, in order. */
    final List<String> sent = new CopyOnWriteArrayList<>();

    /** On Lettuce, counting the commands sent. */
    FusedSessions(int port, LockSettings settings) {
        this(lettuce(port), settings);
        ((AbstractRedisClient) ((LettuceConnectionFactory) connectionFactory).getRequiredNativeClient())
                .addListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        sent.add(event.getCommand().getType().toString());
                    }
                });
    }

    FusedSessions(RedisConnectionFactory connectionFactory, LockSettings settings) {
        this.connectionFactory = connectionFactory;
        RedisSerializer<Object> serializer =
                new JdkSerializationRedisSerializer(getClass().getClassLoader());
        sessions = LockingRedisSessions.create(
                LockingRedisSessions.lockStore(connectionFactory, settings),
                serializer,
                "spring:session",
                settings,
                listener);
        repository = sessions.repository();
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setConnectionFactory(connectionFactory);
        template.setKeySerializer(RedisSerializer.string());
        template.setHashKeySerializer(RedisSerializer.string());
        template.setDefaultSerializer(serializer);
        template.afterPropertiesSet();
        plain = new RedisSessionRepository(template);
    }

    FusedSessions(int port) {
        this(port, testSettings());
    }

    static LockSettings testSettings() {
        return LockSettings.builder()
                .timeout(Duration.ofMillis(300))
                .retryDelay(Duration.ofMillis(5))
                .lockTtl(Duration.ofSeconds(10))
                .build();
    }

    static LettuceConnectionFactory lettuce(int port) {
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** The commands sent while {@code action} ran. */
    List<String> commandsOf(Runnable action) {
        sent.clear();
        action.run();
        return List.copyOf(sent);
    }

    @Override
    public void close() throws Exception {
        if (connectionFactory instanceof DisposableBean disposable) {
            disposable.destroy();
        }
    }
}
