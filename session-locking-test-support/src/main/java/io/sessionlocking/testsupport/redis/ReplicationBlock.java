package io.sessionlocking.testsupport.redis;

/**
 * Cuts a master's replication without touching its clients, so that writes it acknowledges stay off its replicas.
 *
 * <p>The master's {@code default} user loses {@code PSYNC} and {@code SYNC} (ACL, Redis 6+), which only replicas send,
 * and its replica connections are killed. A replica then cannot resynchronise: Redis 7 retries the handshake at once
 * after each refusal, a busy loop, which is why {@link RedisCluster#pauseReplication} freezes (SIGSTOP) the replicas
 * first. Freezing alone would not do: bytes the master wrote before the freeze wait in the replica's socket buffer and
 * are applied on resume.
 */
final class ReplicationBlock {

    private ReplicationBlock() {}

    static void block(RedisNode master) {
        master.command("ACL", "SETUSER", "default", "-psync", "-sync");
        master.command("CLIENT", "KILL", "TYPE", "replica");
    }

    /** Undoes {@link #block}; harmless on a node that was never blocked. */
    static void unblock(RedisNode node) {
        node.command("ACL", "SETUSER", "default", "+psync", "+sync");
    }
}
