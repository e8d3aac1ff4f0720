package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(OrderAnnotation.class)
class RedisExtensionPerClassIntegrationTests {

    @RegisterExtension
    static final RedisExtension redis = RedisExtension.perClass();

    private static int firstPort;

    @Test
    @Order(1)
    void injectsTheSharedNode(RedisNode node) {
        assertThat(node).isSameAs(redis.node());
        assertThat(redis.uri()).isEqualTo(node.uri());
        assertThat(node.command("SET", "kept", "yes")).isEqualTo("OK");
        firstPort = node.port();
        node.kill();
    }

    @Test
    @Order(2)
    void bringsBackAKilledNodeOnTheSamePort(RedisNode node) {
        assertThat(node.port()).isEqualTo(firstPort);
        assertThat(node.isRunning()).isTrue();
        assertThat(node.command("PING")).isEqualTo("PONG");
        node.pause();
    }

    @Test
    @Order(3)
    void resumesAPausedNode(RedisNode node) {
        assertThat(node.isPaused()).isFalse();
        assertThat(node.command("PING")).isEqualTo("PONG");
    }
}
