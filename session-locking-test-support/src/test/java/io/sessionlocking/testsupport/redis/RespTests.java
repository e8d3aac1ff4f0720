package io.sessionlocking.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RespTests {

    @Test
    void encodesCommandsAsArraysOfBulkStrings() {
        assertThat(new String(Resp.encode("SET", "k", "v€"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\nv€\r\n");
        assertThat(new String(Resp.encode("CONFIG", "SET", "save", ""), StandardCharsets.UTF_8))
                .endsWith("$0\r\n\r\n");
    }

    @Test
    void flattensRepliesToStrings() throws IOException {
        assertThat(read("+PONG\r\n")).isEqualTo("PONG");
        assertThat(read(":42\r\n")).isEqualTo("42");
        assertThat(read("$5\r\nhello\r\n")).isEqualTo("hello");
        assertThat(read("$0\r\n\r\n")).isEmpty();
        assertThat(read("$7\r\na\r\nb\r\nc\r\n"))
                .as("CRLF inside a bulk string")
                .isEqualTo("a\r\nb\r\nc");
        assertThat(read("*3\r\n$1\r\na\r\n:2\r\n*2\r\n+x\r\n$-1\r\n")).isEqualTo("a\n2\nx\n");
        assertThat(read("*0\r\n")).isEmpty();
    }

    @Test
    void mapsNilToNull() throws IOException {
        assertThat(read("$-1\r\n")).isNull();
        assertThat(read("*-1\r\n")).isNull();
    }

    @Test
    void turnsErrorRepliesIntoRedisReplyException() {
        assertThatThrownBy(() -> read("-ERR unknown command 'NOPE'\r\n"))
                .isInstanceOf(RedisReplyException.class)
                .hasMessage("ERR unknown command 'NOPE'");
    }

    @Test
    void reportsTruncatedReplies() {
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("$5\r\nhel")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("+PON")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("?what\r\n")).isInstanceOf(IOException.class);
    }

    private static @Nullable String read(String wire) throws IOException {
        return Resp.readReply(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }
}
