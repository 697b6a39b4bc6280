package org.reaper.reference;

import java.util.function.Function;

/** Central finite differences in float64: the numeric gradient every reference backward is checked against. */
public final class CentralDifference {
    private CentralDifference() {}

    /** d f / d at[i] ≈ (f(at + h e_i) - f(at - h e_i)) / 2h for every i; {@code at} is restored after each probe. */
    public static double[] gradient(double[] at, Function<double[], Double> f, double h) {
        double[] g = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double keep = at[i];
            at[i] = keep + h;
            double up = f.apply(at);
            at[i] = keep - h;
            double down = f.apply(at);
            at[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }
}
