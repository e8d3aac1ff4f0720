/**
 * The cross-node hand-off benchmark: contenders on nodes of their own on one lock, the engine polling, the engine with
 * notified hand-offs, and Redisson's {@code RLock}, side by side.
 */
@NullMarked
package io.sessionlocking.benchmarks.handoff;

import org.jspecify.annotations.NullMarked;
