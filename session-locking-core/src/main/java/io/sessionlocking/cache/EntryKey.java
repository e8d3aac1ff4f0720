package io.sessionlocking.cache;

import java.util.Arrays;

/**
 * A cache entry's key bytes compared by content, for maps keyed by entry. For stores and the guard; the bytes are
 * not copied, so callers copy what they keep.
 */
public record EntryKey(byte[] bytes) {

    @Override
    public boolean equals(Object other) {
        return other instanceof EntryKey key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The length only: a cache key may carry user data. */
    @Override
    public String toString() {
        return "EntryKey[" + bytes.length + " bytes]";
    }
}
