package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.rng.Philox;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** fillUniform, fillNormal and dropout follow the documented Philox stream exactly and have the right statistics. */
class RandomKernelsTest {
    private static final long SEED = 0x1234_5678_9ABCL, OFFSET = 77;

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void elementsFollowThePhiloxStream(Backend b) {
        for (int n : new int[] {1, 3, 4, 5, 10_007}) try (TensorScope scope = TensorScope.open()) {
            Tensor u = poisoned(b, n), g = poisoned(b, n);
            b.fillUniform(u, -0.5f, 2f, SEED, OFFSET);
            b.fillNormal(g, 0.25f, 3f, SEED, OFFSET);
            float[] uh = b.toHost(u), gh = b.toHost(g);
            for (int i = 0; i < n; i++) {
                float expectU = -0.5f + 2.5f * Philox.uniform(SEED, OFFSET, i);
                assertEquals(expectU, uh[i], 0f, "uniform element " + i + " of " + n + " on " + b);
                float expectN = 0.25f + 3f * Philox.normal(SEED, OFFSET, i);
                assertEquals(expectN, gh[i], 0f, "normal element " + i + " of " + n + " on " + b);
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void largeFillsHaveTheRightMoments(Backend b) {
        int n = 1 << 20;
        try (TensorScope scope = TensorScope.open()) {
            Tensor t = b.empty(Shape.of(n));
            b.fillUniform(t, 0f, 1f, SEED, 0);
            double mean = b.sum(t) / n, var = b.sumOfSquares(t) / n - mean * mean;
            assertEquals(0.5, mean, 5 * Math.sqrt(1 / 12.0 / n), "uniform mean on " + b);
            assertEquals(1 / 12.0, var, 0.002, "uniform variance on " + b);
            float[] h = b.toHost(t);
            for (float v : h) assertTrue(v >= 0f && v < 1f, "uniform value " + v + " outside [0, 1)");

            b.fillNormal(t, 1f, 2f, SEED, 0);
            mean = b.sum(t) / n;
            double std = Math.sqrt(b.sumOfSquares(t) / n - mean * mean);
            assertEquals(1.0, mean, 5 * 2 / Math.sqrt(n), "normal mean on " + b);
            assertEquals(2.0, std, 0.01, "normal std on " + b);
            // tails: about 4.55% beyond 2 sigma
            int beyond = 0;
            for (float v : b.toHost(t)) if (Math.abs(v - 1f) > 4f) beyond++;
            assertEquals(0.0455, beyond / (double) n, 0.002, "normal 2-sigma tail fraction on " + b);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void dropoutKeepsAboutOneMinusPAndRescales(Backend b) {
        int n = 200_003;
        float p = 0.3f;
        try (TensorScope scope = TensorScope.open()) {
            float[] x = randomFloats("dropout-x", n, -1, 1);
            Tensor mask = poisoned(b, n), y = poisoned(b, n);
            b.dropoutForward(upload(b, x, n), p, SEED, OFFSET, mask, y);
            float[] m = b.toHost(mask), yh = b.toHost(y);
            float keep = 1f / (1f - p);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                boolean k = Philox.uniform(SEED, OFFSET, i) >= p;
                assertEquals(k ? keep : 0f, m[i], 0f, "mask element " + i + " on " + b);
                assertEquals(x[i] * m[i], yh[i], 0f, "y element " + i + " on " + b);
                if (k) kept++;
            }
            assertEquals(1 - p, kept / (double) n, 0.005, "kept fraction on " + b);
            double sx = 0, sy = 0;
            for (int i = 0; i < n; i++) { sx += Math.abs(x[i]); sy += Math.abs(yh[i]); }
            assertEquals(1.0, sy / sx, 0.02, "inverted dropout preserves the expected magnitude on " + b);
        }
    }

    @Test void resultsDoNotDependOnTheThreadCount() {
        int n = 300_001;
        float[][] uniform = new float[3][], normal = new float[3][], mask = new float[3][];
        double[] sums = new double[3];
        for (int t = 1; t <= 3; t++) {
            try (Backend b = new CpuBackend(t); TensorScope scope = TensorScope.open()) {
                Tensor u = b.empty(Shape.of(n)), g = b.empty(Shape.of(n)), m = b.empty(Shape.of(n)), y = b.empty(Shape.of(n));
                b.fillUniform(u, -1f, 1f, SEED, OFFSET);
                b.fillNormal(g, 0f, 1f, SEED, OFFSET);
                b.dropoutForward(g, 0.5f, SEED, OFFSET + 1000, m, y);
                uniform[t - 1] = b.toHost(u);
                normal[t - 1] = b.toHost(g);
                mask[t - 1] = b.toHost(m);
                sums[t - 1] = b.sum(g) + b.sumOfSquares(u);
            }
        }
        for (int t = 1; t < 3; t++) {
            assertBitEqual("uniform, " + (t + 1) + " threads vs 1", uniform[0], uniform[t]);
            assertBitEqual("normal, " + (t + 1) + " threads vs 1", normal[0], normal[t]);
            assertBitEqual("dropout mask, " + (t + 1) + " threads vs 1", mask[0], mask[t]);
            assertEquals(Double.doubleToLongBits(sums[0]), Double.doubleToLongBits(sums[t]), "sums with " + (t + 1) + " threads");
        }
    }
}
