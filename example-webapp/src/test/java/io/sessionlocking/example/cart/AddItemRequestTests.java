package io.sessionlocking.example.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddItemRequestTests {

    @Test
    void acceptsTheBoundsAndTrimsTheSku() {
        assertThat(new AddItemRequest(" tea ", 1).validate()).isEqualTo(new AddItemRequest.Valid("tea", 1));
        assertThat(new AddItemRequest("tea", 1000).validate()).isEqualTo(new AddItemRequest.Valid("tea", 1000));
    }

    @Test
    void quantityDefaultsToOne() {
        assertThat(new AddItemRequest("tea", null).validate().qty()).isEqualTo(1);
    }

    @Test
    void namesTheProblem() {
        assertInvalid(new AddItemRequest(null, 1), "sku is required");
        assertInvalid(new AddItemRequest("", 1), "sku must not be blank");
        assertInvalid(new AddItemRequest(" \t", 1), "sku must not be blank");
        assertInvalid(new AddItemRequest("x".repeat(65), 1), "sku must be at most 64 characters");
        assertInvalid(new AddItemRequest("tea", 0), "qty must be between 1 and 1000, was 0");
        assertInvalid(new AddItemRequest("tea", 1001), "qty must be between 1 and 1000, was 1001");
    }

    private static void assertInvalid(AddItemRequest request, String message) {
        assertThatThrownBy(request::validate)
                .isInstanceOf(InvalidCartRequestException.class)
                .hasMessage(message);
    }
}
