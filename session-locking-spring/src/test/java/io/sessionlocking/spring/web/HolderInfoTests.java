package io.sessionlocking.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HolderInfoTests {

    @Test
    void shortSegmentsAreShownAsTheyAre() {
        assertThat(HolderInfo.shownPath("/cart/items/42")).isEqualTo("/cart/items/42");
        assertThat(HolderInfo.shownPath("/")).isEqualTo("/");
        assertThat(HolderInfo.shownPath("")).isEmpty();
        assertThat(HolderInfo.shownPath("/orders/")).isEqualTo("/orders/");
    }

    @Test
    void segmentsThatMayBeSecretsAreHidden() {
        assertThat(HolderInfo.shownPath("/reset-password/3f9a1c0e7b2d4e8fa1b2c3d4e5f60718"))
                .isEqualTo("/reset-password/*");
        assertThat(HolderInfo.shownPath("/users/jane.doe@example.com/cart")).isEqualTo("/users/*/cart");
    }

    @Test
    void theDescriptionCarriesTheShownPath() {
        RequestSessionLock request = new RequestSessionLock(
                SessionLockPolicy.defaults(), null, "GET", "/magic/0123456789abcdef0123456789abcdef", null);

        assertThat(HolderInfo.parse(HolderInfo.describe("shop#1", request)))
                .containsEntry("node", "shop#1")
                .containsEntry("method", "GET")
                .containsEntry("path", "/magic/*");
    }
}
