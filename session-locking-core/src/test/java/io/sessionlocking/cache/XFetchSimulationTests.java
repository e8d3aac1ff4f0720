package io.sessionlocking.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * XFetch over simulated expiries under steady load, with the decision rule the guard uses ({@link XFetch}): Poisson
 * arrivals at rate r, recomputation time delta, TTL T. For each expiry it counts how many requests would recompute
 * the value (XFetch alone, as in the paper: every request whose draw says "refresh" recomputes until the new value
 * lands) and what the guard does with the same draws (the first such request takes the lock; the others see it held
 * and keep the fresh copy), plus how early the refresh started. The seed is fixed, so the figures are reproducible;
 * they are printed for docs/caching.md.
 */
class XFetchSimulationTests {

    private static final double RATE_PER_SECOND = 100;
    private static final double DELTA_SECONDS = 0.1;
    private static final double TTL_SECONDS = 10;
    private static final int EXPIRIES = 2000;

    /** What one beta does over {@link #EXPIRIES} expiries. */
    record Outcome(
            double beta,
            double meanRecomputationsAlone,
            int maxRecomputationsAlone,
            TreeMap<Integer, Integer> histogramAlone,
            int maxRecomputationsGuarded,
            double refreshedBeforeExpiry,
            double meanLeadInDeltas) {

        String row() {
            return String.format(
                    Locale.ROOT,
                    "| %.1f | %.2f | %d | %s | %d | %.1f %% | %.1f |",
                    beta,
                    meanRecomputationsAlone,
                    maxRecomputationsAlone,
                    histogramAlone,
                    maxRecomputationsGuarded,
                    100 * refreshedBeforeExpiry,
                    meanLeadInDeltas);
        }
    }

    @Test
    void recomputationsPerExpiryStayAboutOneAndTheGuardMakesThemExactlyOne() {
        Outcome half = simulate(0.5, 1);
        Outcome one = simulate(1, 2);
        Outcome two = simulate(2, 3);

        System.out.println("| beta | recomputations per expiry, XFetch alone (mean) | max | distribution (size=count)"
                + " | with the guard (max) | refreshed before expiry | lead (deltas) |");
        System.out.println("|--:|--:|--:|---|--:|--:|--:|");
        for (Outcome outcome : new Outcome[] {half, one, two}) {
            System.out.println(outcome.row());
        }

        // The guard's lock: one recomputation per expiry, whatever beta.
        for (Outcome outcome : new Outcome[] {half, one, two}) {
            assertThat(outcome.maxRecomputationsGuarded()).isEqualTo(1);
        }
        // XFetch alone is "about one" and shrinks as beta grows (the paper: mostly 1 or 2 at beta 1).
        assertThat(one.meanRecomputationsAlone()).isBetween(1.0, 4.0);
        assertThat(half.meanRecomputationsAlone()).isGreaterThan(one.meanRecomputationsAlone());
        assertThat(one.meanRecomputationsAlone()).isGreaterThan(two.meanRecomputationsAlone());
        // A larger beta refreshes earlier, so more expiries are refreshed in time.
        assertThat(two.refreshedBeforeExpiry()).isGreaterThanOrEqualTo(one.refreshedBeforeExpiry());
        assertThat(one.refreshedBeforeExpiry()).isGreaterThan(0.9);
        assertThat(two.meanLeadInDeltas()).isGreaterThan(one.meanLeadInDeltas());
    }

    @Test
    void theDecisionIsTheExponentialDrawScaledByDelta() {
        assertThat(XFetch.factor(1, 1)).isZero();
        assertThat(XFetch.factor(2, Math.exp(-1))).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(XFetch.refreshNow(3, 100, 300)).isTrue();
        assertThat(XFetch.refreshNow(3, 100, 301)).isFalse();
    }

    private static Outcome simulate(double beta, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TreeMap<Integer, Integer> histogram = new TreeMap<>();
        long totalAlone = 0;
        int maxAlone = 0;
        int maxGuarded = 0;
        int early = 0;
        double totalLead = 0;
        for (int expiry = 0; expiry < EXPIRIES; expiry++) {
            // The value was stored at 0 and expires at TTL; requests arrive from 0 on.
            double now = 0;
            double firstRecompute = Double.NaN;
            int alone = 0;
            int guarded = 0;
            while (true) {
                now += -Math.log(1 - random.nextDouble()) / RATE_PER_SECOND;
                boolean landed = !Double.isNaN(firstRecompute) && now >= firstRecompute + DELTA_SECONDS;
                if (landed) {
                    break;
                }
                double factor = XFetch.factor(beta, 1 - random.nextDouble());
                long freshForMillis = Math.round((TTL_SECONDS - now) * 1000);
                boolean recompute = now >= TTL_SECONDS
                        || XFetch.refreshNow(factor, Math.round(DELTA_SECONDS * 1000), freshForMillis);
                if (recompute) {
                    alone++;
                    if (Double.isNaN(firstRecompute)) {
                        firstRecompute = now;
                        guarded++;
                    }
                }
            }
            histogram.merge(Math.min(alone, 8), 1, Integer::sum);
            totalAlone += alone;
            maxAlone = Math.max(maxAlone, alone);
            maxGuarded = Math.max(maxGuarded, guarded);
            if (firstRecompute + DELTA_SECONDS <= TTL_SECONDS) {
                early++;
            }
            totalLead += (TTL_SECONDS - firstRecompute) / DELTA_SECONDS;
        }
        return new Outcome(
                beta,
                (double) totalAlone / EXPIRIES,
                maxAlone,
                histogram,
                maxGuarded,
                (double) early / EXPIRIES,
                totalLead / EXPIRIES);
    }
}
