/**
 * The cart API under {@code /api/cart}: an immutable {@link io.sessionlocking.example.cart.Cart} in the session
 * attribute {@code cart}, read, priced and written back whole by each request.
 */
@NullMarked
package io.sessionlocking.example.cart;

import org.jspecify.annotations.NullMarked;
