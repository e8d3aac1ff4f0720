package io.sessionlocking.core;

import io.sessionlocking.support.LockTokens;

/**
 * The stored lock value: the 32-character owner token, then, when given, one space and the holder's description.
 * The token never leaves the engine; {@link #holderInfo} strips it.
 */
final class HolderValues {

    private HolderValues() {}

    /** What follows the token in the stored value: nothing, or a space and the cleaned-up description. */
    static String suffix(String holderInfo) {
        if (holderInfo.isEmpty()) {
            return "";
        }
        StringBuilder suffix =
                new StringBuilder(Math.min(holderInfo.length(), SessionLockProvider.MAX_HOLDER_INFO_LENGTH) + 1);
        suffix.append(' ');
        for (int i = 0; i < holderInfo.length() && suffix.length() <= SessionLockProvider.MAX_HOLDER_INFO_LENGTH; i++) {
            char c = holderInfo.charAt(i);
            suffix.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return suffix.toString();
    }

    /** A stored lock as its holder: the description without the token, and the remaining TTL. */
    static SessionLockProvider.LockHolder toHolder(LockStore.StoredLock stored) {
        return new SessionLockProvider.LockHolder(holderInfo(stored.value()), stored.ttl());
    }

    /** The holder's description in a stored value, without the token. */
    static String holderInfo(String storedValue) {
        int tokenLength = LockTokens.LENGTH;
        return storedValue.length() > tokenLength + 1 ? storedValue.substring(tokenLength + 1) : "";
    }
}
