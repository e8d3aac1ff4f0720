package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NodeNamesTests {

    @Test
    void theDefaultNameIsTheApplicationAndARandomIdOfThisJvm() throws Exception {
        String name = NodeNames.of("shop");

        assertThat(name).matches("shop#[0-9a-f]{8}");
        assertThat(NodeNames.of("shop")).as("one id per JVM").isEqualTo(name);
        assertThat(NodeNames.local()).isEqualTo("node#" + name.substring("shop#".length()));
    }

    @Test
    void theDefaultNameRevealsNoHostNameOrProcessId() throws Exception {
        String id = NodeNames.local().substring("node#".length());

        assertThat(NodeNames.of("shop"))
                .doesNotContain(InetAddress.getLocalHost().getHostName())
                .doesNotContain("/");
        assertThat(id).as("8 hex digits, not a pid").hasSize(8);
    }
}
