package io.sessionlocking.spring.actuate;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How many events happened in the last window, in one-second slots: O(1) to record and 60 slots to read. Micrometer
 * has windowed maxima and percentiles but no windowed count outside a registry's step, hence this. Thread-safe
 * (synchronized: both operations are short).
 */
final class WindowedCount {

    private static final long SLOT_NANOS = Duration.ofSeconds(1).toNanos();

    private final long[] counts;
    private final long[] slots;
    private final LongSupplier nanoTime;

    WindowedCount(Duration window, LongSupplier nanoTime) {
        int size = Math.toIntExact(Math.max(window.toSeconds(), 1));
        this.counts = new long[size];
        this.slots = new long[size];
        this.nanoTime = nanoTime;
        java.util.Arrays.fill(slots, Long.MIN_VALUE);
    }

    synchronized void increment() {
        long slot = Math.floorDiv(nanoTime.getAsLong(), SLOT_NANOS);
        int index = (int) Math.floorMod(slot, (long) counts.length);
        if (slots[index] != slot) {
            slots[index] = slot;
            counts[index] = 0;
        }
        counts[index]++;
    }

    synchronized long count() {
        long now = Math.floorDiv(nanoTime.getAsLong(), SLOT_NANOS);
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (slots[i] != Long.MIN_VALUE && now - slots[i] < counts.length) {
                total += counts[i];
            }
        }
        return total;
    }
}
