package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.backend.OpsKit.randomFloats;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * The CUDA backend (a GPU, or the CPU stand-in in CI) against the CPU backend, element for element,
 * where the two are designed to compute the same floats: NaN propagation through ReLU and pooling,
 * average pooling's double sums, batch norm's per-channel factors, and what an invalid label does.
 * Each case here caught a CUDA kernel that disagreed with the CPU (see the closing note).
 * Skips with the reason where no CUDA backend is usable.
 */
class CudaCpuAgreementTest {
    private static Backend cuda;
    private static final CpuBackend CPU = new CpuBackend(1);

    @BeforeAll
    static void open() { cuda = TestBackends.cuda(); }

    @BeforeEach
    void requireCuda() { Assumptions.assumeTrue(cuda != null, "no CUDA backend (GPU or stand-in) is usable here"); }

    /** Random values with NaN, +-0 and +-inf sprinkled in. */
    private static float[] withSpecials(String label, int n) {
        float[] a = randomFloats(label, n, -2, 2);
        float[] specials = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int i = 3; i < n; i += 11) a[i] = specials[(i / 11) % specials.length];
        return a;
    }

    private interface Op { void run(Backend b, Tensor[] in, Tensor[] out); }

    /** Runs op on both backends with the same inputs; returns {cpu outputs, cuda outputs}. */
    private static float[][][] both(float[][] inputs, Shape[] inShapes, Shape[] outShapes, Op op) {
        float[][][] r = new float[2][][];
        Backend[] bs = {CPU, cuda};
        for (int k = 0; k < 2; k++) try (TensorScope s = TensorScope.open()) {
            Backend b = bs[k];
            Tensor[] in = new Tensor[inputs.length], out = new Tensor[outShapes.length];
            for (int i = 0; i < in.length; i++) in[i] = b.fromHost(inputs[i], inShapes[i]);
            for (int i = 0; i < out.length; i++) { out[i] = b.empty(outShapes[i]); b.fill(out[i], 12345f); }
            op.run(b, in, out);
            r[k] = new float[out.length][];
            for (int i = 0; i < out.length; i++) r[k][i] = b.toHost(out[i]);
        }
        return r;
    }

    private static void assertSameBits(String what, float[] cpu, float[] gpu) {
        for (int i = 0; i < cpu.length; i++)
            if (Float.floatToIntBits(cpu[i]) != Float.floatToIntBits(gpu[i]))
                throw new AssertionError(what + ": element " + i + " is " + gpu[i] + " on " + cuda + ", " + cpu[i] + " on the CPU");
    }

    /** At most `ulps` apart everywhere (NaN where the CPU has NaN), and bit-identical in at least `identical` of the elements. */
    private static void assertAgree(String what, float[] cpu, float[] gpu, int ulps, double identical) {
        int same = 0;
        for (int i = 0; i < cpu.length; i++) {
            if (Float.isNaN(cpu[i]) || Float.isNaN(gpu[i])) {
                assertTrue(Float.isNaN(cpu[i]) && Float.isNaN(gpu[i]), what + ": NaN at " + i + " on one backend only (cpu " + cpu[i] + ", cuda " + gpu[i] + ")");
                same++;
                continue;
            }
            if (cpu[i] == gpu[i]) { same++; continue; }
            double ulp = Math.max(Math.ulp(cpu[i]), Float.MIN_NORMAL);
            assertTrue(Math.abs(cpu[i] - gpu[i]) <= ulps * ulp, what + ": element " + i + " is " + gpu[i] + " on " + cuda + ", " + cpu[i] + " on the CPU");
        }
        assertTrue(same >= identical * cpu.length, what + ": only " + same + " of " + cpu.length + " elements bit-identical");
    }

    @Test
    void reluKeepsNaNAndMapsNegativeZeroLikeTheCpu() {
        int n = 1000;
        float[] x = withSpecials("relu-agree", n), dy = randomFloats("relu-agree-dy", n, -1, 1);
        float[][][] r = both(new float[][] {x, dy}, new Shape[] {Shape.of(n), Shape.of(n)}, new Shape[] {Shape.of(n), Shape.of(n)},
                (b, in, out) -> { b.relu(in[0], out[0]); b.reluBackward(out[0], in[1], out[1]); });
        assertSameBits("relu", r[0][0], r[1][0]);
        assertSameBits("relu backward", r[0][1], r[1][1]);
        assertTrue(Float.isNaN(r[1][0][3]), "relu(NaN) is NaN on " + cuda);
    }

    @Test
    void poolingAgreesBitForBitIncludingNaN() {
        // overlapping 3x3 / stride 1 / pad 1, the common 2x2 / 2, and a wide 5x5 window (four-way double sums)
        int[][] geometries = {{2, 3, 9, 7, 3, 3, 1, 1, 1, 1}, {2, 3, 8, 8, 2, 2, 2, 2, 0, 0}, {1, 2, 11, 12, 5, 5, 2, 3, 2, 1}};
        for (int[] gs : geometries) {
            PoolGeometry g = new PoolGeometry(gs[0], gs[1], gs[2], gs[3], gs[4], gs[5], gs[6], gs[7], gs[8], gs[9]);
            Shape in = g.inputShape(), out = g.outputShape();
            float[] x = withSpecials("pool-agree" + g, in.numel());
            float[] dy = randomFloats("pool-agree-dy" + g, out.numel(), -1, 1);
            float[] xFinite = randomFloats("pool-agree-finite" + g, in.numel(), -3, 3);
            float[][][] r = both(new float[][] {x, dy, xFinite}, new Shape[] {in, out, in}, new Shape[] {out, in, out, in, out},
                    (b, t, o) -> {
                        b.maxPool2dForward(t[0], o[0], o[4], g);
                        b.maxPool2dBackward(o[4], t[1], o[1], g);
                        b.avgPool2dForward(t[2], o[2], g);
                        b.avgPool2dBackward(t[1], o[3], g);
                    });
            assertSameBits("max pool forward " + g, r[0][0], r[1][0]);
            assertSameBits("max pool argmax " + g, r[0][4], r[1][4]);
            assertSameBits("max pool backward (NaN routing) " + g, r[0][1], r[1][1]);
            assertSameBits("avg pool forward " + g, r[0][2], r[1][2]);
            assertSameBits("avg pool backward " + g, r[0][3], r[1][3]);
        }
    }

    @Test
    void batchNormFactorsAreTheCpusFloats() {
        int n = 6, c = 5, h = 7, w = 9;
        Shape xs = Shape.of(n, c, h, w), cs = Shape.of(c);
        float[] x = randomFloats("bn-agree-x", xs.numel(), -3, 5), dy = randomFloats("bn-agree-dy", xs.numel(), -1, 1);
        float[] gamma = randomFloats("bn-agree-g", c, 0.5f, 1.5f), beta = randomFloats("bn-agree-b", c, -1, 1);
        float[] rm = randomFloats("bn-agree-rm", c, -1, 1), rv = randomFloats("bn-agree-rv", c, 0.5f, 2);
        float[][][] r = both(new float[][] {x, dy, gamma, beta, rm, rv}, new Shape[] {xs, xs, cs, cs, cs, cs},
                new Shape[] {xs, cs, cs, xs, cs, cs, xs},
                (b, t, o) -> {
                    b.batchNormTrain(t[0], t[2], t[3], t[4], t[5], 0.1f, 1e-5f, o[0], o[1], o[2]);
                    b.batchNormBackward(t[0], t[1], t[2], o[1], o[2], o[3], o[4], o[5]);
                    b.batchNormEval(t[0], t[2], t[3], t[4], t[5], 1e-5f, o[6]);
                });
        assertAgree("batch norm y", r[0][0], r[1][0], 1, 0.999);
        assertAgree("batch norm mean", r[0][1], r[1][1], 1, 0.8);
        assertAgree("batch norm invStd", r[0][2], r[1][2], 1, 0.8);
        assertAgree("batch norm dx", r[0][3], r[1][3], 1, 0.999);
        assertAgree("batch norm dgamma", r[0][4], r[1][4], 1, 0.8);
        assertAgree("batch norm dbeta", r[0][5], r[1][5], 1, 0.8);
        assertSameBits("batch norm eval", r[0][6], r[1][6]);
    }

    @Test
    void anInvalidLabelPoisonsItsRowOnTheDeviceAndIsRefusedOnTheCpu() {
        int n = 4, c = 10;
        float[] logits = randomFloats("xent-agree", n * c, -3, 3);
        float[] labels = {3, 12, 1.5f, 9};   // row 1: out of range, row 2: not a whole number
        try (TensorScope s = TensorScope.open()) {
            Tensor tl = cuda.fromHost(logits, Shape.of(n, c)), tlab = cuda.fromHost(labels, Shape.of(n));
            Tensor probs = cuda.empty(Shape.of(n, c)), loss = cuda.empty(Shape.of(n)), d = cuda.empty(Shape.of(n, c));
            cuda.softmaxCrossEntropy(tl, tlab, 0.1f, probs, loss);
            cuda.softmaxCrossEntropyBackward(probs, tlab, 0.1f, 0.25f, d);
            float[] l = cuda.toHost(loss), g = cuda.toHost(d);
            for (int r = 0; r < n; r++) {
                boolean bad = r == 1 || r == 2;
                assertEquals(bad, Float.isNaN(l[r]), "loss of row " + r);
                for (int j = 0; j < c; j++) assertEquals(bad, Float.isNaN(g[r * c + j]), "gradient of row " + r + ", class " + j);
            }
            int valid = 0;
            for (int r : new int[] {0, 3}) {
                int best = 0;
                for (int j = 1; j < c; j++) if (logits[r * c + j] > logits[r * c + best]) best = j;
                if (best == labels[r]) valid++;
            }
            assertEquals(valid, cuda.countCorrect(tl, tlab), "rows with an invalid label never count as correct");
        }
        try (TensorScope s = TensorScope.open()) {
            Tensor tl = CPU.fromHost(logits, Shape.of(n, c)), tlab = CPU.fromHost(labels, Shape.of(n));
            assertThrows(IllegalArgumentException.class, () -> CPU.softmaxCrossEntropy(tl, tlab, 0.1f, CPU.empty(Shape.of(n, c)), CPU.empty(Shape.of(n))));
        }
    }

    @Test
    void softmaxCrossEntropyAgreesWithTheCpu() {
        int n = 33, c = 10;
        float[] logits = randomFloats("xent-agree2", n * c, -4, 4), labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 7) % c;
        float[][][] r = both(new float[][] {logits, labels}, new Shape[] {Shape.of(n, c), Shape.of(n)},
                new Shape[] {Shape.of(n, c), Shape.of(n), Shape.of(n, c)},
                (b, t, o) -> {
                    b.softmaxCrossEntropy(t[0], t[1], 0.1f, o[0], o[1]);
                    b.softmaxCrossEntropyBackward(o[0], t[1], 0.1f, 1f / n, o[2]);
                });
        // device exp/log are within an ulp of Java's: the floats agree to an ulp, most of them exactly
        assertAgree("softmax probabilities", r[0][0], r[1][0], 1, 0.9);
        assertAgree("cross-entropy loss", r[0][1], r[1][1], 1, 0.9);
        assertAgree("cross-entropy gradient", r[0][2], r[1][2], 2, 0.9);
    }
}
