package io.sessionlocking.testsupport.redis;

/** How {@link RedisCluster#failover} promotes a replica: the three forms of {@code CLUSTER FAILOVER}. */
public enum FailoverMode {
    /**
     * {@code CLUSTER FAILOVER}: the master stops accepting writes, the replica catches up with its replication offset,
     * then takes over; nothing acknowledged is lost. Needs the master to be reachable.
     */
    GRACEFUL,
    /**
     * {@code CLUSTER FAILOVER FORCE}: no handshake with the master (it may be down), but a majority of masters must
     * vote; writes the replica had not received are lost.
     */
    FORCE,
    /**
     * {@code CLUSTER FAILOVER TAKEOVER}: the replica promotes itself at once, without handshake or vote; writes it had
     * not received are lost, and the old master drops them when it resynchronises as a replica.
     */
    TAKEOVER
}
