package io.sessionlocking.example.cart;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The cart kept in the session. Immutable: {@link #add} returns a new cart, so that the controller always calls
 * {@code setAttribute} with a new object and Spring Session sees the change and saves it.
 */
public record Cart(List<CartItem> items) implements Serializable {

    public static final Cart EMPTY = new Cart(List.of());

    public Cart {
        items = List.copyOf(items);
    }

    /** A cart with {@code qty} more of {@code sku}: added to its line if there is one, else as a new last line. */
    public Cart add(String sku, int qty) {
        List<CartItem> next = new ArrayList<>(items.size() + 1);
        boolean merged = false;
        for (CartItem item : items) {
            if (!merged && item.sku().equals(sku)) {
                next.add(new CartItem(sku, item.qty() + qty));
                merged = true;
            } else {
                next.add(item);
            }
        }
        if (!merged) {
            next.add(new CartItem(sku, qty));
        }
        return new Cart(next);
    }

    /** The total quantity over all lines. */
    public long count() {
        long count = 0;
        for (CartItem item : items) {
            count += item.qty();
        }
        return count;
    }
}
