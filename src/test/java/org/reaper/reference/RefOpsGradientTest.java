package org.reaper.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reaper.rng.Philox;

/**
 * Central finite differences in float64 prove each reference backward is the derivative of its
 * reference forward: for a random cotangent r, d/dθ sum(r * forward(θ)) must equal the backward's θ-gradient.
 */
class RefOpsGradientTest {
    private static final double H = 1e-6;

    private static double[] random(long seed, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * Philox.uniform(seed, 0, i);
        return a;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Checks analytic[i] == d/dθ_i objective(θ) for every i by central differences. */
    private static void checkGradient(String what, double[] theta, Function<double[], Double> objective, double[] analytic, double tol) {
        assertEquals(theta.length, analytic.length, what + ": gradient length");
        double maxAbs = 0;
        for (double v : analytic) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs > 0, what + ": gradient is identically zero, the check would prove nothing");
        double[] numeric = CentralDifference.gradient(theta, objective, H);
        for (int i = 0; i < theta.length; i++)
            assertEquals(numeric[i], analytic[i], tol * (1 + Math.abs(numeric[i])), what + "[" + i + "]");
    }

    @Test void batchNormBackwardIsTheDerivativeOfTrainingForward() {
        int n = 3, c = 2, hw = 5;
        double eps = 1e-5;
        double[] x = random(1, n * c * hw, -2, 2), gamma = random(2, c, 0.5, 1.5), beta = random(3, c, -1, 1);
        double[] r = random(4, x.length, -1, 1);
        double[][] back = RefOps.batchNormBackward(x, r, n, c, hw, gamma, eps);
        checkGradient("bn dx", x, t -> dot(r, RefOps.batchNormTrain(t, n, c, hw, gamma, beta, eps)[0]), back[0], 1e-6);
        checkGradient("bn dgamma", gamma, t -> dot(r, RefOps.batchNormTrain(x, n, c, hw, t, beta, eps)[0]), back[1], 1e-6);
        checkGradient("bn dbeta", beta, t -> dot(r, RefOps.batchNormTrain(x, n, c, hw, gamma, t, eps)[0]), back[2], 1e-6);
    }

    @Test void reluBackwardIsTheDerivativeOfRelu() {
        double[] x = random(5, 40, -1, 1);
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i]) < 1e-3) x[i] = 0.5; // stay away from the kink
        double[] r = random(6, x.length, -1, 1);
        double[] dx = RefOps.reluBackward(RefOps.relu(x), r);
        checkGradient("relu dx", x, t -> dot(r, RefOps.relu(t)), dx, 1e-7);
    }

    @Test void maxPoolBackwardIsTheDerivativeOfMaxPool() {
        // distinct values far apart compared with H, so the argmax does not move under the perturbation
        RefOps.Pool[] pools = {new RefOps.Pool(2, 2, 5, 6, 2, 2, 2, 2, 0, 0), new RefOps.Pool(1, 2, 5, 5, 3, 3, 2, 2, 1, 1),
                new RefOps.Pool(2, 1, 4, 3, 4, 3, 1, 1, 0, 0)};
        for (RefOps.Pool p : pools) {
            int size = p.n() * p.c() * p.h() * p.w();
            double[] x = new double[size];
            int[] perm = permutation(size, 7);
            for (int i = 0; i < size; i++) x[i] = perm[i] * 0.01;
            double[] r = random(8, p.n() * p.c() * p.oh() * p.ow(), -1, 1);
            checkGradient("maxpool dx " + p, x, t -> dot(r, RefOps.maxPool(t, p)), RefOps.maxPoolBackward(x, r, p), 1e-7);
        }
    }

    @Test void avgPoolBackwardIsTheDerivativeOfAvgPool() {
        RefOps.Pool[] pools = {new RefOps.Pool(2, 2, 5, 6, 2, 2, 2, 2, 0, 0), new RefOps.Pool(1, 2, 5, 5, 3, 3, 2, 2, 1, 1),
                new RefOps.Pool(2, 1, 4, 3, 4, 3, 1, 1, 0, 0)};
        for (RefOps.Pool p : pools) {
            double[] x = random(9, p.n() * p.c() * p.h() * p.w(), -1, 1);
            double[] r = random(10, p.n() * p.c() * p.oh() * p.ow(), -1, 1);
            checkGradient("avgpool dx " + p, x, t -> dot(r, RefOps.avgPool(t, p)), RefOps.avgPoolBackward(r, p), 1e-7);
        }
    }

    @Test void softmaxCrossEntropyBackwardIsTheDerivativeOfTheScaledLossSum() {
        int n = 4, c = 5;
        int[] labels = {0, 3, 4, 1};
        double scale = 1.0 / n;
        for (double s : new double[] {0.0, 0.1}) {
            double[] logits = random(11, n * c, -3, 3);
            double[] probs = RefOps.softmaxCrossEntropy(logits, labels, n, c, s)[0];
            double[] analytic = RefOps.softmaxCrossEntropyBackward(probs, labels, n, c, s, scale);
            checkGradient("softmax-ce dlogits s=" + s, logits, t -> {
                double sum = 0;
                for (double l : RefOps.softmaxCrossEntropy(t, labels, n, c, s)[1]) sum += l;
                return scale * sum;
            }, analytic, 1e-6);
        }
    }

    private static int[] permutation(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        new org.reaper.rng.RandomStream(seed).shuffle(a);
        return a;
    }
}
