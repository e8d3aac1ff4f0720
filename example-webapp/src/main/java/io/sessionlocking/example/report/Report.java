package io.sessionlocking.example.report;

import java.io.Serializable;
import java.time.Instant;

/**
 * The expensive daily report: what the demo caches. Serializable, since Boot's Redis cache stores values with JDK
 * serialization by default.
 *
 * @param generation which regeneration made it (the cluster-wide counter's value after it)
 * @param generatedAt when it was computed
 * @param computeMillis how long it took
 */
public record Report(long generation, Instant generatedAt, long computeMillis) implements Serializable {}
