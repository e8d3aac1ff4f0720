package io.sessionlocking.spring.actuate;

/**
 * Durations recorded over the recent window, in milliseconds: their count, Micrometer's histogram percentiles (within
 * its precision of two significant digits, never above the maximum) and the exact maximum.
 */
public record TimePercentiles(int count, double p50, double p95, double p99, double max) {}
