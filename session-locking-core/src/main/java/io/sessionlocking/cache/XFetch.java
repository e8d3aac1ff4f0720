package io.sessionlocking.cache;

/**
 * The XFetch rule of Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede Prevention" (VLDB
 * 2015): refresh a fresh value early when {@code now - delta x beta x ln(rand()) >= expiry}, with {@code delta} the
 * measured regeneration time and {@code rand()} uniform in (0, 1]. The gap {@code -delta x beta x ln(rand())} is an
 * exponential draw scaled by {@code delta}, so the probability of an early refresh rises smoothly towards the expiry
 * and needs no knowledge of the request rate.
 *
 * <p>The caller draws the {@linkplain #factor factor} {@code beta x -ln(rand())}; Redis applies it to the stored
 * delta and expiry inside the read script, so that the decision and the lock it leads to are one atomic step.
 * Stateless.
 */
public final class XFetch {

    private XFetch() {}

    /** {@code beta x -ln(uniform)} for {@code uniform} in (0, 1]; 0 for a {@code uniform} of 1. */
    public static double factor(double beta, double uniform) {
        if (!(uniform > 0 && uniform <= 1)) {
            throw new IllegalArgumentException("uniform must be in (0, 1]: " + uniform);
        }
        return beta * -Math.log(uniform);
    }

    /** Whether a value fresh for {@code freshForMillis} more, regenerated in {@code deltaMillis}, is refreshed now. */
    public static boolean refreshNow(double factor, long deltaMillis, long freshForMillis) {
        return deltaMillis * factor >= freshForMillis;
    }
}
