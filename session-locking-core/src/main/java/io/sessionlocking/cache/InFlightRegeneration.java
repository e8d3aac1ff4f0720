package io.sessionlocking.cache;

import io.sessionlocking.cache.RegenerationListener.Trigger;
import java.time.Duration;

/**
 * A loader running on this node now, for operators: which cache, which key (as text, cut to {@value #MAX_KEY_LENGTH}
 * characters), what started it and for how long it has run.
 */
public record InFlightRegeneration(String cache, String key, Trigger trigger, Duration running) {

    /** Longest key shown; longer keys end in an ellipsis. */
    public static final int MAX_KEY_LENGTH = 120;
}
