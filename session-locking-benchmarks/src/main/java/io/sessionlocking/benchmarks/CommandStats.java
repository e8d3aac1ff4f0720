package io.sessionlocking.benchmarks;

import io.sessionlocking.testsupport.redis.RedisNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snapshot of Redis {@code INFO commandstats}: calls per command since the server started. The difference of two
 * snapshots is the load a benchmark put on Redis, as Redis itself counted it.
 */
final class CommandStats {

    /** The commands a lock or the raw pair sends; connection set-up and monitoring (HELLO, PING, INFO) do not count. */
    static final Set<String> LOCK_COMMANDS = Set.of("set", "del", "get", "eval", "evalsha", "pexpire");

    private static final Pattern LINE = Pattern.compile("cmdstat_([^:]+):calls=(\\d+)");

    private final Map<String, Long> calls;

    private CommandStats(Map<String, Long> calls) {
        this.calls = calls;
    }

    static CommandStats of(RedisNode redis) {
        String info = redis.command("INFO", "commandstats");
        Map<String, Long> calls = new TreeMap<>();
        Matcher matcher = LINE.matcher(info == null ? "" : info);
        while (matcher.find()) {
            calls.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return new CommandStats(calls);
    }

    /**
     * Requests (top-level commands, i.e. round trips) of the lock or raw pair that Redis served between {@code
     * earlier} and this snapshot. Redis counts the commands a script runs ({@code redis.call}) in commandstats too, so
     * when scripts ran, their inner {@code GET}, {@code DEL} and {@code PEXPIRE} belong to them: the engine sends
     * {@code GET} and {@code DEL} only from its scripts in these benchmarks, and the raw pair runs no script.
     */
    long requestsSince(CommandStats earlier) {
        long scripts = delta(earlier, "evalsha") + delta(earlier, "eval");
        long requests = delta(earlier, "set") + scripts;
        if (scripts == 0) {
            requests += delta(earlier, "del") + delta(earlier, "get") + delta(earlier, "pexpire");
        }
        return requests;
    }

    private long delta(CommandStats earlier, String command) {
        return calls.getOrDefault(command, 0L) - earlier.calls.getOrDefault(command, 0L);
    }

    /** Per-command deltas since {@code earlier}, lock commands only (inner script calls included), for the log. */
    Map<String, Long> deltaSince(CommandStats earlier) {
        Map<String, Long> delta = new TreeMap<>();
        for (String command : LOCK_COMMANDS) {
            long d = delta(earlier, command);
            if (d != 0) {
                delta.put(command, d);
            }
        }
        return delta;
    }
}
