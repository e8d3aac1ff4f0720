package io.sessionlocking.testsupport.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key, as {@code CLUSTER KEYSLOT} computes it: CRC16 (XMODEM) of the key, or of its
 * hash tag (the part between the first {@code '{'} and the next {@code '}'}, if not empty), modulo 16384. Lets a test
 * pick keys on a given master without asking the server. Stateless and thread-safe.
 */
public final class ClusterSlots {

    /** Number of hash slots in a Redis Cluster. */
    public static final int COUNT = 16384;

    private ClusterSlots() {}

    /** The slot of {@code key}, whose UTF-8 bytes are hashed. */
    public static int slot(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                start = open + 1;
                end = close;
            }
        }
        return crc16(bytes, start, end) % COUNT;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as in the Redis Cluster specification. */
    private static int crc16(byte[] bytes, int start, int end) {
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
