/**
 * A lock store in this JVM's memory: the same contract as the Redis backends for a single node, and for fast tests.
 */
@NullMarked
package io.sessionlocking.memory;

import org.jspecify.annotations.NullMarked;
