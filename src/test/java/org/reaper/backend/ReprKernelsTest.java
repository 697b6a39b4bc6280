package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** scaleRows and the four orthogonality-score variants against float64 loops. */
class ReprKernelsTest {
    private static final OrthoOptions[] OPTIONS = {
            OrthoOptions.PAPER,
            new OrthoOptions(OrthoOptions.Normalization.PER_FILTER, false),
            new OrthoOptions(OrthoOptions.Normalization.FROBENIUS, true),
            new OrthoOptions(OrthoOptions.Normalization.FROBENIUS, false)};

    /** Weight shapes: conv OIHW, linear, a single filter, many filters with short rows. */
    private static final int[][] SHAPES = {{8, 3, 3, 3}, {10, 17}, {1, 5}, {33, 2, 1, 1}};

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void scaleRowsMatchesReference(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            int rows = s[0], numel = ElementwiseKernelsTest.numel(s);
            float[] t = randomFloats("rows-t", numel, -1, 1), sc = randomFloats("rows-s", rows, -2, 2);
            sc[0] = 0f;
            Tensor tt = upload(b, t, s);
            b.scaleRows(tt, upload(b, sc, rows));
            assertClose("scaleRows " + java.util.Arrays.toString(s), RefOps.scaleRows(toDouble(t), rows, toDouble(sc)), b, tt, 1e-6);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void orthoScoresMatchReference(Backend b) {
        for (int[] s : SHAPES) for (OrthoOptions o : OPTIONS) for (boolean zeroRow : new boolean[] {false, true})
            try (TensorScope scope = TensorScope.open()) {
                int j = s[0], numel = ElementwiseKernelsTest.numel(s), d = numel / j;
                String tag = java.util.Arrays.toString(s) + " " + o + (zeroRow ? " zero row" : "");
                float[] w = randomFloats("ortho" + tag, numel, -1, 1);
                // correlated filters give scores well away from zero
                for (int i = d; i < numel; i++) w[i] = 0.6f * w[i] + 0.4f * w[i % d];
                if (zeroRow) java.util.Arrays.fill(w, (j / 2) * d, (j / 2 + 1) * d, 0f);
                Tensor scores = poisoned(b, j);
                b.orthoScores(upload(b, w, s), o, scores);
                double[] ref = RefOps.orthoScores(toDouble(w), j, d, o.normalization() == OrthoOptions.Normalization.PER_FILTER, o.absPerElement());
                assertClose("orthoScores " + tag, ref, b, scores, 1e-5);
            }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void orthogonalFiltersScoreZeroAndParallelOnesScoreHigh(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            float[] identity = {1, 0, 0, 0, 2, 0, 0, 0, 3};
            Tensor s = poisoned(b, 3);
            b.orthoScores(upload(b, identity, 3, 3), OrthoOptions.PAPER, s);
            for (float v : b.toHost(s)) assertEquals(0f, v, 0f);
            float[] parallel = {1, 1, 2, 2, -3, -3};
            b.orthoScores(upload(b, parallel, 3, 2), OrthoOptions.PAPER, s);
            for (float v : b.toHost(s)) assertEquals(2.0 / 3.0, v, 1e-6); // two |cos| = 1 off-diagonals, / J
        }
    }

    @Test void orthoScoresDoNotDependOnTheThreadCount() {
        float[] w = randomFloats("ortho-threads", 64 * 3 * 3 * 3, -1, 1);
        float[][] out = new float[3][];
        for (int t = 1; t <= 3; t++) try (Backend b = new CpuBackend(t); TensorScope scope = TensorScope.open()) {
            Tensor s = b.empty(org.reaper.tensor.Shape.of(64));
            b.orthoScores(upload(b, w, 64, 3, 3, 3), OrthoOptions.PAPER, s);
            out[t - 1] = b.toHost(s);
        }
        assertBitEqual("2 threads vs 1", out[0], out[1]);
        assertBitEqual("3 threads vs 1", out[0], out[2]);
    }
}
