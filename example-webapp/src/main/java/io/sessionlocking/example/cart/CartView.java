package io.sessionlocking.example.cart;

import java.util.List;

/**
 * The cart as the API returns it: {@code {"sessionHandler":"locking","items":[{"sku":"..","qty":1}],"count":1}}, where
 * {@code count} is the total quantity. Other tools parse this shape: keep it stable.
 */
public record CartView(String sessionHandler, List<CartItem> items, long count) {

    static CartView of(String sessionHandler, Cart cart) {
        return new CartView(sessionHandler, cart.items(), cart.count());
    }
}
