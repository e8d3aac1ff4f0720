package io.sessionlocking.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class SessionIdsTests {

    private static final String UUID_ID = "3f2a9c1e-7b4d-4e8a-9f21-0c5d6e7f8a9b";

    @Test
    void masksAllButTheFirstFourCharacters() {
        assertThat(SessionIds.mask(UUID_ID)).isEqualTo("3f2a****");
        assertThat(SessionIds.mask("short")).isEqualTo("****");
        assertThat(SessionIds.mask("ab\ncdefghij")).isEqualTo("ab?c****");
    }

    @Test
    void acceptsSpringSessionIds() {
        assertThat(SessionIds.isValid(UUID_ID)).isTrue();
        assertThat(SessionIds.isValid("a".repeat(SessionIds.MAX_LENGTH))).isTrue();
    }

    @Test
    void rejectsMalformedIdsWithoutEchoingThem() {
        for (String bad : new String[] {"", " ", "a b", "{x}", "x}", "tab\t", "é-accent", "a".repeat(257)}) {
            assertThat(SessionIds.isValid(bad)).as(bad).isFalse();
        }
        String longSecret = "secret-session-id-with space";
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SessionIds.requireValid(longSecret))
                .withMessageNotContaining(longSecret)
                .withMessageContaining("secr****");
    }
}
