package io.sessionlocking.benchmarks;

import io.lettuce.core.RedisClient;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.redisson.Redisson;

/** What a report says about the machine, the JVM, redis-server and the clients a run measured on. */
final class MachineDescription {

    private MachineDescription() {}

    static Map<String, String> of(RedisNode redis, BenchmarkOptions options) {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("date", Instant.now().toString());
        machine.put("mode", options.quickMode() ? "--quick (smoke test, poor statistics)" : "full");
        machine.put(
                "cpus (availableProcessors)",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", cpuModel());
        machine.put("load average at start", loadAverage());
        machine.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("redis", "redis-server " + infoField(redis, "redis_version") + " (" + redis.binary() + ")");
        machine.put(
                "redis clients", "Lettuce " + versionOf(RedisClient.class) + ", Redisson " + versionOf(Redisson.class));
        return machine;
    }

    /** The 1-minute load average: how busy the shared machine was (on 2 cores, above 2 means queueing). */
    static String loadAverage() {
        return String.format(
                Locale.ROOT,
                "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String infoField(RedisNode redis, String field) {
        String info = redis.command("INFO", "server");
        for (String line : info == null ? new String[0] : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "?";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "?" : version;
    }
}
