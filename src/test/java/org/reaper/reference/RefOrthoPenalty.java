package org.reaper.reference;

/**
 * float64 reference of the soft orthogonality penalty of one layer, P(W) = ||W^ W^^T - I||_F^2 with W (J x D,
 * row-major) and W^ its rows scaled to unit length; rows of squared norm below {@code zeroNorm2} are left out
 * (as if the layer had only its other rows). Slow, obvious loops.
 */
public final class RefOrthoPenalty {
    private RefOrthoPenalty() {}

    public static double value(double[] w, int j, int d, double zeroNorm2) {
        double[][] wn = normalised(w, j, d, zeroNorm2);
        double p = 0;
        for (int a = 0; a < j; a++) {
            if (wn[a] == null) continue;
            for (int b = 0; b < j; b++) {
                if (wn[b] == null) continue;
                double g = 0;
                for (int k = 0; k < d; k++) g += wn[a][k] * wn[b][k];
                double e = g - (a == b ? 1 : 0);
                p += e * e;
            }
        }
        return p;
    }

    /**
     * dP/dW by the chain rule written out element by element: dP/dW^[a][k] = 4 sum_b (G[a][b] - I[a][b]) W^[b][k],
     * then dW^[a][m]/dW[a][k] = (delta_km - W^[a][k] W^[a][m]) / ||w_a||. Left-out rows get zero.
     */
    public static double[] gradient(double[] w, int j, int d, double zeroNorm2) {
        double[][] wn = normalised(w, j, d, zeroNorm2);
        double[] out = new double[j * d];
        for (int a = 0; a < j; a++) {
            if (wn[a] == null) continue;
            double[] dwn = new double[d];
            for (int b = 0; b < j; b++) {
                if (wn[b] == null) continue;
                double g = 0;
                for (int k = 0; k < d; k++) g += wn[a][k] * wn[b][k];
                double e = g - (a == b ? 1 : 0);
                for (int k = 0; k < d; k++) dwn[k] += 4 * e * wn[b][k];
            }
            double norm = 0;
            for (int k = 0; k < d; k++) norm += w[a * d + k] * w[a * d + k];
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                double s = 0;
                for (int m = 0; m < d; m++) s += dwn[m] * ((k == m ? 1 : 0) - wn[a][k] * wn[a][m]) / norm;
                out[a * d + k] = s;
            }
        }
        return out;
    }

    private static double[][] normalised(double[] w, int j, int d, double zeroNorm2) {
        double[][] wn = new double[j][];
        for (int a = 0; a < j; a++) {
            double n2 = 0;
            for (int k = 0; k < d; k++) n2 += w[a * d + k] * w[a * d + k];
            if (n2 < zeroNorm2) continue;
            wn[a] = new double[d];
            double n = Math.sqrt(n2);
            for (int k = 0; k < d; k++) wn[a][k] = w[a * d + k] / n;
        }
        return wn;
    }
}
