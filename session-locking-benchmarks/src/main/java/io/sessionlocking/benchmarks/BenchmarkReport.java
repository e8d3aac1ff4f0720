package io.sessionlocking.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run, and their Markdown rendering. */
public final class BenchmarkReport {

    /** The row names of the uncontended table, in order; the first is the yardstick. */
    public static final List<String> UNCONTENDED_ROWS = List.of(
            "(a) raw Lettuce SET NX PX + DEL",
            "(a2) raw Lettuce SET NX PX + EVALSHA compare-and-delete",
            "(b) engine on Lettuce store",
            "(c) engine on Redisson store",
            "(d) engine on in-memory store");

    /** The row names of the many-sessions table, in order; the first is the yardstick. */
    public static final List<String> MANY_SESSIONS_ROWS =
            List.of("raw Lettuce SET NX PX + DEL", "engine on Lettuce store", "engine on Redisson store");

    /** The retry strategies of the contention table, in order. */
    public static final List<String> CONTENTION_STRATEGIES =
            List.of("FIXED 10 ms (Spryker default)", "FIXED 1 ms", "EXPONENTIAL 1..50 ms");

    /** One uncontended variant: one thread doing acquire+release (or SET+DEL) back to back. */
    public record Uncontended(
            String name,
            int iterations,
            double opsPerSecond,
            double p50Micros,
            double p99Micros,
            double maxMicros,
            double redisCommandsPerOp) {}

    /** One contention configuration: {@code threads} threads on one session. */
    public record Contention(
            String strategy,
            int threads,
            double sectionsPerSecond,
            double idealSectionsPerSecond,
            double handOffsPerSecond,
            double waitP50Millis,
            double waitP99Millis,
            double waitMaxMillis,
            double longestUnfinishedWaitMillis,
            long failures,
            double attemptsPerAcquisition,
            double redisCommandsPerSection,
            double redisCommandsPerSecond,
            long minSectionsPerThread,
            long maxSectionsPerThread,
            long exclusionViolations) {}

    /** One many-sessions variant: {@code threads} threads, each on session ids of its own. */
    public record ManySessions(
            String name,
            int threads,
            double opsPerSecond,
            double p50Micros,
            double p99Micros,
            double redisCommandsPerOp) {}

    private final Map<String, String> machine;
    private final List<Uncontended> uncontended = new ArrayList<>();
    private final List<Contention> contention = new ArrayList<>();
    private final List<ManySessions> manySessions = new ArrayList<>();

    BenchmarkReport(Map<String, String> machine) {
        this.machine = new LinkedHashMap<>(machine);
    }

    void note(String key, String value) {
        machine.put(key, value);
    }

    void add(Uncontended row) {
        uncontended.add(row);
    }

    void add(Contention row) {
        contention.add(row);
    }

    void add(ManySessions row) {
        manySessions.add(row);
    }

    public Map<String, String> machine() {
        return Collections.unmodifiableMap(machine);
    }

    public List<Uncontended> uncontended() {
        return List.copyOf(uncontended);
    }

    public List<Contention> contention() {
        return List.copyOf(contention);
    }

    public List<ManySessions> manySessions() {
        return List.copyOf(manySessions);
    }

    /**
     * Every ratio of the run, by name: engine against the raw pair (time per operation, so 1.0 = as cheap as the raw
     * pair and 2.0 = twice as slow), contention against the ideal (throughput share of one section per critical
     * section time; Redis commands per section against the 2 a lock needs at least).
     */
    public Map<String, Double> ratios() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        Uncontended raw = uncontended.isEmpty() ? null : uncontended.get(0);
        for (Uncontended row : uncontended.subList(Math.min(1, uncontended.size()), uncontended.size())) {
            String label = label(row.name());
            ratios.put("uncontended " + label + "/(a) time per op", raw.opsPerSecond() / row.opsPerSecond());
            ratios.put("uncontended " + label + "/(a) p50", row.p50Micros() / raw.p50Micros());
            ratios.put("uncontended " + label + "/(a) p99", row.p99Micros() / raw.p99Micros());
        }
        for (Contention row : contention) {
            String label = "contention " + row.strategy() + " x" + row.threads();
            ratios.put(label + " throughput/ideal", row.sectionsPerSecond() / row.idealSectionsPerSecond());
            ratios.put(label + " attempts/acquisition", row.attemptsPerAcquisition());
            ratios.put(label + " Redis commands/section vs 2", row.redisCommandsPerSection() / 2.0);
        }
        ManySessions rawMany = manySessions.isEmpty() ? null : manySessions.get(0);
        for (ManySessions row : manySessions.subList(Math.min(1, manySessions.size()), manySessions.size())) {
            ratios.put(
                    "many sessions " + row.name() + " x" + row.threads() + " ops/s vs raw",
                    row.opsPerSecond() / rawMany.opsPerSecond());
        }
        return ratios;
    }

    private static String label(String name) {
        return name.substring(0, name.indexOf(')') + 1);
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Machine\n\n");
        machine.forEach(
                (k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));

        md.append("\n### 1. Uncontended: one thread, acquire + release back to back\n\n");
        md.append("| variant | iterations | ops/s | p50 µs | p99 µs | max µs | Redis cmds/op "
                + "| time/op vs (a) | p50 vs (a) | p99 vs (a) |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        Uncontended raw = uncontended.isEmpty() ? null : uncontended.get(0);
        for (Uncontended row : uncontended) {
            row(
                    md,
                    row.name(),
                    String.valueOf(row.iterations()),
                    fmt0(row.opsPerSecond()),
                    fmt1(row.p50Micros()),
                    fmt1(row.p99Micros()),
                    fmt0(row.maxMicros()),
                    row.redisCommandsPerOp() > 0 ? fmt2(row.redisCommandsPerOp()) : "–",
                    times(raw.opsPerSecond() / row.opsPerSecond()),
                    times(row.p50Micros() / raw.p50Micros()),
                    times(row.p99Micros() / raw.p99Micros()));
        }

        md.append("\n### 2. Contention: T threads on ONE session, each acquire → critical section → release\n\n");
        double work = contention.isEmpty() ? 0 : 1000.0 / contention.get(0).idealSectionsPerSecond();
        md.append("Engine on the Lettuce store. Critical section: ")
                .append(fmt3(work))
                .append(" ms measured (parkNanos), so the ideal is ")
                .append(contention.isEmpty() ? "–" : fmt0(contention.get(0).idealSectionsPerSecond()))
                .append(" sections/s and 2 Redis commands per section.\n\n");
        md.append(
                "| retry strategy | T | sections/s | vs ideal | hand-offs/s | wait p50 ms | wait p99 ms | wait max ms "
                        + "| longest unfinished wait ms | failures | attempts/acq | Redis cmds/section | vs 2 "
                        + "| Redis cmds/s | sections per thread min–max |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Contention row : contention) {
            row(
                    md,
                    row.strategy(),
                    String.valueOf(row.threads()),
                    fmt0(row.sectionsPerSecond()),
                    times(row.sectionsPerSecond() / row.idealSectionsPerSecond()),
                    fmt0(row.handOffsPerSecond()),
                    fmt2(row.waitP50Millis()),
                    fmt1(row.waitP99Millis()),
                    fmt1(row.waitMaxMillis()),
                    fmt1(row.longestUnfinishedWaitMillis()),
                    String.valueOf(row.failures()),
                    fmt2(row.attemptsPerAcquisition()),
                    fmt2(row.redisCommandsPerSection()),
                    times(row.redisCommandsPerSection() / 2.0),
                    fmt0(row.redisCommandsPerSecond()),
                    row.minSectionsPerThread() + "–" + row.maxSectionsPerThread());
        }
        long violations =
                contention.stream().mapToLong(Contention::exclusionViolations).sum();
        md.append("\nMutual-exclusion violations seen (two threads inside one session's critical section): ")
                .append(violations)
                .append(".\n");

        md.append("\n### 3. Many independent sessions: every thread on session ids of its own\n\n");
        md.append("| variant | threads | ops/s | p50 µs | p99 µs | Redis cmds/op | ops/s vs raw |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|\n");
        ManySessions rawMany = manySessions.isEmpty() ? null : manySessions.get(0);
        for (ManySessions row : manySessions) {
            row(
                    md,
                    row.name(),
                    String.valueOf(row.threads()),
                    fmt0(row.opsPerSecond()),
                    fmt1(row.p50Micros()),
                    fmt1(row.p99Micros()),
                    fmt2(row.redisCommandsPerOp()),
                    times(row.opsPerSecond() / rawMany.opsPerSecond()));
        }

        md.append("\n### Ratios\n\n| ratio | value |\n|---|--:|\n");
        ratios().forEach((name, value) ->
                md.append("| ").append(name).append(" | ").append(times(value)).append(" |\n"));
        return md.toString();
    }

    /** One Markdown table row of the given cells. */
    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String fmt0(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String fmt1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String fmt2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String fmt3(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String times(double value) {
        return String.format(Locale.ROOT, value < 0.1 ? "%.3f×" : "%.2f×", value);
    }
}
