package org.reaper.repr;

import org.reaper.backend.OrthoOptions;

/**
 * One layer's filters as RePr's orthogonality sees them, in double precision for a lesson: the J x D matrix of
 * normalised filters (per filter or by the layer's Frobenius norm, as {@link OrthoOptions} says) and its J x J Gram
 * matrix. {@link #score} works a filter's O out in the open; the engine's own scores come from {@code Backend.orthoScores}.
 */
public record FilterGram(String layer, int filters, int dim, double[][] normalized, double[][] gram, OrthoOptions options) {

    public static FilterGram of(String layer, float[] weight, int filters, OrthoOptions o) {
        int d = weight.length / filters;
        double[][] u = new double[filters][d];
        for (int f = 0; f < filters; f++) for (int k = 0; k < d; k++) u[f][k] = weight[f * d + k];
        if (o.normalization() == OrthoOptions.Normalization.FROBENIUS) {
            double s = 0;
            for (double[] r : u) s += NullSpace.dot(r, r);
            scale(u, Math.sqrt(s));
        } else {
            for (double[] r : u) scale(new double[][] {r}, NullSpace.norm(r));
        }
        double[][] g = new double[filters][filters];
        for (int a = 0; a < filters; a++)
            for (int b = a; b < filters; b++) g[a][b] = g[b][a] = NullSpace.dot(u[a], u[b]);
        return new FilterGram(layer, filters, d, u, g, o);
    }

    /** The paper's O_f from the Gram row: sum over j != f of |G[f,j]| / J (or |sum| / J with abs after the mean). */
    public double score(int f) { return Math.abs(rowSum(f)) / filters; }

    /** Sum over j != f of |G[f,j]| (abs per element) or of G[f,j] (abs after the mean). */
    public double rowSum(int f) {
        double s = 0;
        for (int j = 0; j < filters; j++) if (j != f) s += options.absPerElement() ? Math.abs(gram[f][j]) : gram[f][j];
        return s;
    }

    /** Mean |cos| of two independent random directions in {@code d} dimensions, about sqrt(2 / (pi d)): why small layers score high. */
    public static double randomAbsCos(int d) {
        // exact: Gamma(d/2) / (sqrt(pi) Gamma((d+1)/2)), by the ratio's recurrence from d = 1 (1) and d = 2 (2/pi)
        double r = d % 2 == 1 ? 1.0 : 2.0 / Math.PI;
        for (int k = d % 2 == 1 ? 1 : 2; k < d; k += 2) r *= (double) k / (k + 1);
        return r;
    }

    /** The score O a layer of J random filters in D dimensions gets on average: (J - 1) / J times {@link #randomAbsCos}. */
    public static double randomScore(int d, int filters) { return (filters - 1.0) / filters * randomAbsCos(d); }

    private static void scale(double[][] rows, double norm) {
        if (norm > 0) for (double[] r : rows) for (int k = 0; k < r.length; k++) r[k] /= norm;
    }
}
