/**
 * The Redis backend on Lettuce: acquisition is one {@code SET key token NX PX ttl}; release and extension are Lua
 * compare-and-delete and compare-and-{@code PEXPIRE} scripts run by SHA. Works on a standalone or a cluster
 * connection, since every command touches one key.
 */
@NullMarked
package io.sessionlocking.redis;

import org.jspecify.annotations.NullMarked;
