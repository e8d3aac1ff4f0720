package io.sessionlocking.example.cart;

import java.io.Serializable;

/** One line of the cart: a SKU and its quantity. Immutable. */
public record CartItem(String sku, int qty) implements Serializable {}
