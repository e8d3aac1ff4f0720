package io.sessionlocking.spring.actuate;

/** Nearest-rank percentiles of the durations recorded over the recent window, in milliseconds. */
public record TimePercentiles(int count, double p50, double p95, double p99, double max) {}
