/**
 * The demo shop: a cart in the session ({@code cart}), the Redis it runs on ({@code redis}) and a page at {@code /}
 * that adds twenty items in parallel and shows the lock contention live.
 */
@NullMarked
package io.sessionlocking.example;

import org.jspecify.annotations.NullMarked;
