/**
 * Helpers shared by the engine and the backends: session id checks and masking, lock tokens, key layout, the Lua
 * scripts and retry delays. Public so that other modules of this project can use them; not an API for
 * applications, and free to change between releases.
 */
@NullMarked
package io.sessionlocking.support;

import org.jspecify.annotations.NullMarked;
