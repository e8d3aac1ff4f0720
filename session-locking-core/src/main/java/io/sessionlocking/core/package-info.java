/**
 * The public API of the lock engine: {@link io.sessionlocking.core.LockSettings}, the {@link
 * io.sessionlocking.core.SessionLockProvider} a caller acquires locks from, the {@link
 * io.sessionlocking.core.LockStore} SPI a backend implements, {@link
 * io.sessionlocking.core.LockCouldNotBeAcquiredException} and the {@link
 * io.sessionlocking.core.SessionLockListener} SPI that metrics bind to. Nothing here depends on Spring or on a
 * Redis client.
 */
@NullMarked
package io.sessionlocking.core;

import org.jspecify.annotations.NullMarked;
