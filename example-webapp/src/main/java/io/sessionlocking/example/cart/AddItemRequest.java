package io.sessionlocking.example.cart;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/cart/items}: {@code {"sku":"...","qty":1}}; {@code qty} defaults to 1 when absent.
 * {@link #validate()} names the first problem.
 */
public record AddItemRequest(@Nullable String sku, @Nullable Integer qty) {

    static final int MIN_QTY = 1;
    static final int MAX_QTY = 1000;
    static final int MAX_SKU_LENGTH = 64;

    /**
     * The SKU and quantity to add.
     *
     * @throws InvalidCartRequestException naming the field and the rule it breaks
     */
    Valid validate() {
        if (sku == null) {
            throw new InvalidCartRequestException("sku is required");
        }
        String trimmed = sku.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidCartRequestException("sku must not be blank");
        }
        if (trimmed.length() > MAX_SKU_LENGTH) {
            throw new InvalidCartRequestException("sku must be at most " + MAX_SKU_LENGTH + " characters");
        }
        int quantity = qty == null ? MIN_QTY : qty;
        if (quantity < MIN_QTY || quantity > MAX_QTY) {
            throw new InvalidCartRequestException(
                    "qty must be between " + MIN_QTY + " and " + MAX_QTY + ", was " + quantity);
        }
        return new Valid(trimmed, quantity);
    }

    record Valid(String sku, int qty) {}
}
