/**
 * The HTTP benchmark: one Spring Boot shop with plain Spring Session, with the decorator and with the fused
 * repository on one redis-server, round trips per request counted exactly and throughput measured in turns.
 */
@NullMarked
package io.sessionlocking.benchmarks.http;

import org.jspecify.annotations.NullMarked;
