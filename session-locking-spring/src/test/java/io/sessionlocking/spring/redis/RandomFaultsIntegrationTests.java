package io.sessionlocking.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionlocking.core.LockSettings;
import io.sessionlocking.spring.web.HeldLocks;
import io.sessionlocking.testsupport.net.TcpProxy;
import io.sessionlocking.testsupport.process.JavaProcess;
import io.sessionlocking.testsupport.redis.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.session.Session;

/**
 * A long randomized run: three app nodes of the fused repository on one Redis, one of them in a JVM of its own, two of
 * them behind {@link TcpProxy}s, each appending operation ids to the sessions of a shared set, while a seeded schedule
 * of faults hits them: latency, stalls longer than the lock's TTL, dropped traffic, cut connections, force releases of
 * held locks, and Redis paused (SIGSTOP) for less than the wait timeout. Afterwards a checker reads every session:
 * every acknowledged operation is there exactly once, nothing is there that nobody tried, and one TTL after the last
 * request no lock is held.
 *
 * <p>The seed is printed; {@code -Dfaults.seed=...} replays the same schedule of faults and choices (the timing of
 * threads still differs) and {@code -Dfaults.duration=60s} runs longer.
 */
class RandomFaultsIntegrationTests {

    static final Duration TTL = Duration.ofSeconds(1);
    static final int SESSIONS = 6;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

    static LockSettings settings() {
        return LockSettings.builder()
                .lockTtl(TTL)
                .retryDelay(Duration.ofMillis(10))
                .timeout(Duration.ofSeconds(5))
                .commandTimeout(Duration.ofMillis(600)) // renewal keeps a 1 s TTL only with at most 2/3 of it
                .build();
    }

    @Test
    void noAcknowledgedWriteIsLostAndNoLockIsStuck() throws Exception {
        long seed = Long.getLong("faults.seed", System.currentTimeMillis());
        Duration duration = Duration.parse("PT" + System.getProperty("faults.duration", "40s"));
        System.out.println("RandomFaultsIntegrationTests seed=" + seed + " duration=" + duration
                + " (replay with -Dfaults.seed=" + seed + ")");
        Random random = new Random(seed);
        try (RedisNode redis = RedisNode.start();
                TcpProxy proxyA = TcpProxy.start(redis.address());
                TcpProxy proxyB = TcpProxy.start(redis.address());
                FaultNode a = FaultNode.start(FaultNode.Repository.FUSED, proxyA.port(), settings(), CLIENT_TIMEOUT);
                FaultNode c = FaultNode.start(FaultNode.Repository.FUSED, redis.port(), settings(), CLIENT_TIMEOUT)) {
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(c.createSession(Map.of("ops", new ArrayList<String>())));
            }
            Map<String, String> acknowledged = new ConcurrentHashMap<>(); // op -> session
            Map<String, AtomicLong> tried = new ConcurrentHashMap<>();
            ExecutorService workers = Executors.newFixedThreadPool(6);
            int fencedElsewhere = 0;
            List<Future<?>> running = new ArrayList<>();
            try (JavaProcess b = JavaProcess.builder(Worker.class)
                    .args(
                            Integer.toString(proxyB.port()),
                            Long.toString(duration.toMillis()),
                            Long.toString(seed),
                            String.join(",", sessions))
                    .start()) {
                b.awaitLine("STARTED", Duration.ofSeconds(60));
                long deadline = System.nanoTime() + duration.toNanos();
                for (int t = 0; t < 4; t++) {
                    running.add(workers.submit(
                            work("A" + t, a, sessions, new Random(seed + t), deadline, acknowledged, tried)));
                }
                for (int t = 0; t < 2; t++) {
                    running.add(workers.submit(
                            work("C" + t, c, sessions, new Random(seed + 10 + t), deadline, acknowledged, tried)));
                }
                FaultCounts faults = injectFaults(random, deadline, redis, List.of(proxyA, proxyB), c, sessions);
                for (Future<?> worker : running) {
                    worker.get(60, TimeUnit.SECONDS);
                }
                assertThat(b.awaitExit(Duration.ofSeconds(60)))
                        .as("the worker JVM ran to its end")
                        .isZero();
                for (String line : b.stdout()) {
                    String[] parts = line.split(" ");
                    if (parts[0].equals("ACK")) {
                        acknowledged.put(parts[2], parts[1]);
                    } else if (parts[0].equals("TRIED")) {
                        tried.put(parts[1], new AtomicLong(Long.parseLong(parts[2])));
                    } else if (parts[0].equals("FENCED")) {
                        fencedElsewhere = Integer.parseInt(parts[1]);
                    }
                }
                System.out.println("RandomFaultsIntegrationTests faults: " + faults);
            } finally {
                workers.shutdownNow();
            }
            long lastRequestEnded = System.nanoTime();

            Map<String, List<String>> stored = new HashMap<>();
            for (String id : sessions) {
                Session session = c.read(id);
                assertThat(session).as("session %s survived", id).isNotNull();
                stored.put(id, session.getAttribute("ops"));
            }
            List<String> problems = check(stored, acknowledged, tried);
            int present = stored.values().stream().mapToInt(List::size).sum();
            long attempts = tried.values().stream().mapToLong(AtomicLong::get).sum();
            System.out.println("RESULT random-faults-attempted=" + attempts + " acknowledged=" + acknowledged.size()
                    + " stored=" + present + " fenced="
                    + (a.listener.lost.size() + c.listener.lost.size() + fencedElsewhere)
                    + " problems=" + problems.size());
            assertThat(problems)
                    .as("acknowledged writes lost, duplicated or invented")
                    .isEmpty();
            assertThat(acknowledged.size())
                    .as("enough requests got through the faults")
                    .isGreaterThan(200);

            long sinceEnd = System.nanoTime() - lastRequestEnded;
            TimeUnit.NANOSECONDS.sleep(Math.max(0, TTL.plusMillis(500).toNanos() - sinceEnd));
            assertThat(HeldLocks.count(redis))
                    .as("locks held one TTL after the last request ended")
                    .isZero();
        }
    }

    /** What the checker finds wrong: an acknowledged op missing, an op twice, an op nobody tried. */
    private static List<String> check(
            Map<String, List<String>> stored, Map<String, String> acknowledged, Map<String, AtomicLong> tried) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<String>> session : stored.entrySet()) {
            for (String op : session.getValue()) {
                if (!seen.add(op)) {
                    problems.add("op " + op + " stored twice");
                }
                String[] parts = op.split("-");
                AtomicLong count = tried.get(parts[0]);
                if (count == null || Long.parseLong(parts[1]) >= count.get()) {
                    problems.add("op " + op + " stored but never tried");
                }
                String ackedIn = acknowledged.get(op);
                if (ackedIn != null && !ackedIn.equals(session.getKey())) {
                    problems.add("op " + op + " stored in another session than acknowledged");
                }
            }
        }
        acknowledged.forEach((op, session) -> {
            if (!stored.get(session).contains(op)) {
                problems.add("acknowledged op " + op + " lost");
            }
        });
        return problems;
    }

    /** A worker thread: one request after another on a random session, each appending its own op id. */
    static Runnable work(
            String name,
            FaultNode node,
            List<String> sessions,
            Random random,
            long deadline,
            Map<String, String> acknowledged,
            Map<String, AtomicLong> tried) {
        AtomicLong counter = tried.computeIfAbsent(name, n -> new AtomicLong());
        return () -> {
            while (System.nanoTime() < deadline) {
                String id = sessions.get(random.nextInt(sessions.size()));
                String op = name + "-" + counter.getAndIncrement();
                int workMillis = random.nextInt(30);
                try {
                    node.request(id, session -> append(session, op, workMillis));
                    acknowledged.put(op, id);
                } catch (RuntimeException e) {
                    // Not acknowledged: a timeout, a fenced save, Redis failing. The op may or may not be stored.
                }
            }
        };
    }

    private static Void append(Session session, String op, int workMillis) {
        List<String> ops = new ArrayList<>(session.<List<String>>getAttribute("ops"));
        try {
            Thread.sleep(workMillis); // the request's own work between read and write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ops.add(op);
        session.setAttribute("ops", ops);
        return null;
    }

    /** How many faults of each kind were injected. */
    record FaultCounts(Map<String, Integer> counts) {
        @Override
        public String toString() {
            return new TreeMap<>(counts).toString();
        }
    }

    /** Injects one random fault after another until {@code deadline}; leaves everything healed. */
    private static FaultCounts injectFaults(
            Random random,
            long deadline,
            RedisNode redis,
            List<TcpProxy> proxies,
            FaultNode operator,
            List<String> sessions)
            throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        try {
            while (System.nanoTime() + Duration.ofSeconds(2).toNanos() < deadline) {
                Thread.sleep(200 + random.nextInt(800));
                TcpProxy proxy = proxies.get(random.nextInt(proxies.size()));
                int kind = random.nextInt(6);
                switch (kind) {
                    case 0 -> {
                        proxy.latency(Duration.ofMillis(20 + random.nextInt(180)));
                        Thread.sleep(500 + random.nextInt(1500));
                        proxy.heal();
                        counts.merge("latency", 1, Integer::sum);
                    }
                    case 1 -> {
                        // Up to 2 TTLs: some holders lose their lock under a running request.
                        proxy.stall(Duration.ofMillis(200 + random.nextInt(1800)));
                        counts.merge("stall", 1, Integer::sum);
                    }
                    case 2 -> {
                        proxy.drop();
                        Thread.sleep(100 + random.nextInt(400));
                        proxy.heal();
                        counts.merge("drop", 1, Integer::sum);
                    }
                    case 3 -> {
                        proxy.cut();
                        counts.merge("cut", 1, Integer::sum);
                    }
                    case 4 -> {
                        // The lock of a session held right now, if any: its holder's save must then be fenced out.
                        List<String> shuffled = new ArrayList<>(sessions);
                        Collections.shuffle(shuffled, random);
                        try {
                            for (String id : shuffled) {
                                if (operator.provider().holder(id).isPresent()
                                        && operator.provider().forceRelease(id)) {
                                    counts.merge("force-release", 1, Integer::sum);
                                    break;
                                }
                            }
                        } catch (RuntimeException e) {
                            counts.merge("force-release-failed", 1, Integer::sum);
                        }
                    }
                    default -> {
                        // Shorter than the wait timeout: waiters survive it.
                        redis.pause();
                        try {
                            Thread.sleep(100 + random.nextInt(500));
                        } finally {
                            redis.resume();
                        }
                        counts.merge("redis-pause", 1, Integer::sum);
                    }
                }
            }
        } finally {
            redis.resume();
            proxies.forEach(TcpProxy::heal);
        }
        return new FaultCounts(counts);
    }

    /**
     * The node in a JVM of its own: {@code 3} worker threads until the duration has passed, printing {@code ACK
     * <session> <op>} for each acknowledged op, and at the end {@code TRIED <worker> <count>} and {@code FENCED
     * <lost locks>}. Arguments: the port of
     * its proxy, the duration in ms, the seed, the session ids comma-separated.
     */
    static final class Worker {

        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
            long seed = Long.parseLong(args[2]);
            List<String> sessions = List.of(args[3].split(","));
            Map<String, AtomicLong> tried = new ConcurrentHashMap<>();
            Map<String, String> acknowledged = new ConcurrentHashMap<>() {
                @Override
                public String put(String op, String session) {
                    System.out.println("ACK " + session + " " + op);
                    return super.put(op, session);
                }
            };
            try (FaultNode node = FaultNode.start(FaultNode.Repository.FUSED, port, settings(), CLIENT_TIMEOUT)) {
                ExecutorService threads = Executors.newFixedThreadPool(3);
                List<Future<?>> running = new ArrayList<>();
                System.out.println("STARTED");
                for (int t = 0; t < 3; t++) {
                    running.add(threads.submit(
                            work("B" + t, node, sessions, new Random(seed + 20 + t), deadline, acknowledged, tried)));
                }
                for (Future<?> worker : running) {
                    worker.get(60, TimeUnit.SECONDS);
                }
                threads.shutdown();
                tried.forEach((worker, count) -> System.out.println("TRIED " + worker + " " + count.get()));
                System.out.println("FENCED " + node.listener.lost.size());
            }
            System.out.println("DONE");
            System.exit(0); // no lingering non-daemon thread of a client may keep the JVM alive
        }
    }
}
