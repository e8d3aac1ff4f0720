package io.sessionlocking.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockScriptsTests {

    @Test
    void shaMatchesRedisDigestOfTheScript() {
        // SHA-1 of "return 1", as `redis-cli SCRIPT LOAD "return 1"` prints it.
        assertThat(LockScripts.sha1("return 1")).isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        assertThat(LockScripts.RELEASE_SHA).hasSize(40).isEqualTo(LockScripts.sha1(LockScripts.RELEASE));
    }

    @Test
    void recognisesNoScriptErrorsAnywhereInTheCauseChain() {
        Exception noScript = new RuntimeException("wrapped", new IllegalStateException("NOSCRIPT No matching script"));
        assertThat(LockScripts.isNoScript(noScript)).isTrue();
        assertThat(LockScripts.isNoScript(new RuntimeException("ERR other"))).isFalse();
    }

    @Test
    void tokensAre128BitHexAndUnique() {
        String a = LockTokens.next();
        assertThat(a).hasSize(32).matches("[0-9a-f]{32}");
        assertThat(LockTokens.next()).isNotEqualTo(a);
    }

    @Test
    void lockKeyHashTagsTheSessionId() {
        assertThat(new LockKeys("spring:session").lockKey("abc")).isEqualTo("spring:session:lock:{abc}");
    }
}
