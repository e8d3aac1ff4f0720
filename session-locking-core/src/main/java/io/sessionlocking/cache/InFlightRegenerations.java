package io.sessionlocking.cache;

import io.sessionlocking.cache.RegenerationListener.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The loaders running on this node, across guards. Thread-safe; starting and ending is a set insert and removal. */
final class InFlightRegenerations {

    /** One running loader; identity-compared, so two loads of one key in one nanosecond stay two. */
    final class Running {
        private final String cache;
        private final byte[] key;
        private final Trigger trigger;
        private final long startedNanos = System.nanoTime();

        private Running(String cache, byte[] key, Trigger trigger) {
            this.cache = cache;
            this.key = key;
            this.trigger = trigger;
        }

        void end() {
            running.remove(this);
        }

        InFlightRegeneration snapshot() {
            return new InFlightRegeneration(
                    cache, display(key), trigger, Duration.ofNanos(System.nanoTime() - startedNanos));
        }
    }

    private final Set<Running> running = ConcurrentHashMap.newKeySet();

    Running start(String cache, byte[] key, Trigger trigger) {
        Running entry = new Running(cache, key, trigger);
        running.add(entry);
        return entry;
    }

    /** The running loaders, longest-running first. */
    List<InFlightRegeneration> snapshot() {
        return running.stream()
                .map(Running::snapshot)
                .sorted(Comparator.comparing(InFlightRegeneration::running).reversed())
                .toList();
    }

    /** The key as text: UTF-8, control characters replaced, cut to the maximum length. */
    static String display(byte[] key) {
        String text = new String(key, StandardCharsets.UTF_8);
        StringBuilder shown = new StringBuilder(Math.min(text.length(), InFlightRegeneration.MAX_KEY_LENGTH + 1));
        for (int i = 0; i < text.length() && shown.length() < InFlightRegeneration.MAX_KEY_LENGTH; i++) {
            char c = text.charAt(i);
            shown.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > InFlightRegeneration.MAX_KEY_LENGTH) {
            shown.append('\u2026');
        }
        return shown.toString();
    }
}
