/**
 * Reliability probes: mains that run the seeds' failures (floods, aborts, a slow or failing Redis) against a real
 * Tomcat and fixture redis-servers, and print {@code RESULT name=value} lines.
 */
@NullMarked
package io.sessionlocking.benchmarks.reliability;

import org.jspecify.annotations.NullMarked;
