package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.reaper.backend.OpsKit.randomFloats;
import static org.reaper.backend.OpsKit.toDouble;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.reference.RefDense;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * GEMM, linear and conv2d (forward, backward-data, backward-filter, bias) of every available backend
 * against the float64 reference {@link RefDense}, on Philox-random inputs and NaN-poisoned outputs.
 * Error metric: max |got - ref| / max |ref| (sums of hundreds of terms make per-element relative
 * errors meaningless near zero).
 */
/* autoCloseArguments = false: JUnit would otherwise close the shared (AutoCloseable) backends after each invocation. */
class GemmConvOpsTest {
    private static final double TOL = 1e-5;

    /** m, n, k: odd, tiny, exact tile multiples, and larger than one cache block in every direction. */
    private static final int[][] GEMM_SIZES = {
            {1, 1, 1}, {3, 5, 7}, {4, 32, 16}, {17, 33, 29}, {64, 64, 64}, {37, 70, 300}, {150, 2100, 19}, {130, 45, 530},
    };

    /** batch, cin, h, w, cout, kh, kw, sh, sw, ph, pw. */
    private static final int[][] CONVS = {
            {2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1},      // the usual 3x3 pad 1
            {1, 3, 7, 9, 5, 3, 3, 2, 2, 1, 1},      // batch 1, odd non-square, stride 2
            {3, 4, 6, 5, 6, 1, 1, 1, 1, 0, 0},      // 1x1 (direct GEMM path)
            {2, 3, 9, 7, 3, 5, 5, 1, 1, 2, 2},      // 5x5 pad 2
            {2, 2, 10, 11, 3, 5, 5, 2, 2, 0, 0},    // 5x5 stride 2 no pad
            {3, 2, 6, 7, 4, 1, 1, 2, 2, 0, 0},      // 1x1 stride 2 (shortcut-like)
            {2, 3, 6, 8, 2, 3, 2, 1, 2, 0, 1},      // rectangular kernel, unequal stride and pad
            {5, 16, 12, 12, 33, 3, 3, 1, 1, 1, 1},  // more channels than one tile, odd cout
            {1, 3, 4, 4, 2, 3, 3, 1, 1, 2, 2},      // padding larger than needed: border outputs see only zeros
            // outputs of 16 x even or 32k wide take the direct (no im2col) path where the Vector API kernel exists
            {2, 3, 16, 16, 5, 3, 3, 1, 1, 1, 1},    // 16x16, cout not a multiple of the tile height
            {1, 2, 34, 34, 4, 3, 3, 1, 1, 0, 0},    // 32x32 output from an unpadded 34x34 input
            {2, 3, 6, 64, 6, 5, 5, 1, 1, 3, 2},     // 64 wide (two tiles per row), 5x5, unequal pads
            {3, 5, 18, 16, 7, 1, 3, 1, 1, 1, 1},    // rectangular 1x3 kernel, 20x16 output
            {2, 6, 9, 10, 16, 3, 3, 1, 1, 1, 1},    // exactly 16 output channels (narrow backward-filter tile)
            {2, 35, 16, 16, 3, 3, 3, 1, 1, 1, 1},   // 315 taps: more than one KC slice; 3 input channels in backward-data
            // the paths of the stride-2 direct kernels, 8-wide outputs and the pixel-lane backward-filter
            {2, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1}, {3, 32, 16, 16, 64, 3, 3, 2, 2, 1, 1}, {2, 16, 32, 32, 32, 3, 3, 2, 2, 1, 1},
            {2, 5, 8, 8, 7, 3, 3, 1, 1, 1, 1}, {2, 5, 16, 16, 7, 3, 3, 2, 2, 1, 1}, {2, 3, 17, 17, 5, 3, 3, 2, 2, 1, 1},
            {2, 3, 10, 6, 5, 3, 3, 1, 1, 1, 1}, {2, 3, 8, 4, 5, 3, 3, 1, 1, 1, 1}, {2, 3, 16, 16, 5, 3, 3, 2, 2, 0, 0},
            {2, 4, 19, 21, 6, 5, 5, 3, 3, 2, 2}, {2, 4, 17, 15, 6, 3, 3, 2, 3, 1, 2}, {2, 4, 12, 12, 6, 2, 2, 2, 2, 0, 0},
            {2, 4, 16, 16, 6, 3, 3, 2, 2, 3, 3}, {2, 4, 16, 16, 6, 1, 1, 2, 2, 0, 0}, {2, 4, 16, 16, 6, 1, 1, 2, 2, 1, 1},
            {2, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1}, {2, 4, 18, 18, 6, 3, 3, 2, 2, 1, 1}, {2, 4, 8, 16, 6, 3, 3, 1, 2, 1, 1},
            // 8-wide outputs whose column-shifted copy is one block per plane: shifts of +-2, and no padding rows
            {2, 3, 8, 8, 4, 5, 5, 1, 1, 2, 2}, {2, 3, 10, 8, 4, 3, 3, 1, 1, 0, 1},
            // backward-filter tiles: 12 taps x 32 channels (288 taps), 96 channels in 32-wide tiles (45 taps, padded to 48),
            // 6 taps x 64 channels with 63 taps (padded to 66), stride 2 into 64 channels
            {2, 32, 16, 16, 32, 3, 3, 1, 1, 1, 1}, {2, 5, 9, 9, 96, 3, 3, 1, 1, 1, 1}, {2, 7, 6, 6, 64, 3, 3, 1, 1, 1, 1}, {2, 3, 11, 9, 128, 3, 3, 2, 2, 1, 1},
    };

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void gemmMatchesReferenceForAllTransposes(Backend b) {
        float[][] alphaBeta = {{1f, 0f}, {-0.7f, 1f}, {1.3f, -0.4f}, {0.5f, 0f}};
        int variant = 0;
        for (int[] s : GEMM_SIZES) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[]{false, true}) for (boolean tb : new boolean[]{false, true}) try (TensorScope scope = TensorScope.open()) {
                float alpha = alphaBeta[variant % alphaBeta.length][0], beta = alphaBeta[variant % alphaBeta.length][1];
                variant++;
                String tag = "gemm m=" + m + " n=" + n + " k=" + k + (ta ? " A^T" : "") + (tb ? " B^T" : "") + " alpha=" + alpha + " beta=" + beta;
                float[] a = randomFloats("a " + tag, m * k, -1, 1), bb = randomFloats("b " + tag, k * n, -1, 1);
                float[] c0 = beta == 0f ? nan(m * n) : randomFloats("c " + tag, m * n, -1, 1);
                Tensor ta2 = b.fromHost(a, ta ? Shape.of(k, m) : Shape.of(m, k));
                Tensor tb2 = b.fromHost(bb, tb ? Shape.of(n, k) : Shape.of(k, n));
                Tensor tc = b.fromHost(c0, Shape.of(m, n));
                b.gemm(ta, tb, alpha, ta2, tb2, beta, tc);
                double[] ref = RefDense.gemm(ta, tb, m, n, k, alpha, toDouble(a), toDouble(bb), beta, toDouble(c0));
                assertMaxRelClose(tag + " on " + b.name() + "/" + b.threads(), ref, b.toHost(tc));
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void linearMatchesReference(Backend b) {
        int[][] sizes = {{1, 7, 3}, {5, 33, 10}, {128, 300, 10}, {3, 1, 40}};
        for (int[] s : sizes) for (boolean withBias : new boolean[]{true, false}) try (TensorScope scope = TensorScope.open()) {
            int n = s[0], in = s[1], out = s[2];
            String tag = "linear n=" + n + " in=" + in + " out=" + out + (withBias ? "" : " no bias") + " on " + b.name() + "/" + b.threads();
            float[] x = randomFloats("x " + tag, n * in, -1, 1), w = randomFloats("w " + tag, out * in, -1, 1);
            float[] bias = randomFloats("bias " + tag, out, -1, 1), dy = randomFloats("dy " + tag, n * out, -1, 1);
            Tensor tx = b.fromHost(x, Shape.of(n, in)), tw = b.fromHost(w, Shape.of(out, in));
            Tensor tbias = withBias ? b.fromHost(bias, Shape.of(out)) : null;
            Tensor y = poisoned(b, n, out), dx = poisoned(b, n, in), dw = poisoned(b, out, in), db = poisoned(b, out);
            b.linearForward(tx, tw, tbias, y);
            assertMaxRelClose("fwd " + tag, RefDense.linearForward(toDouble(x), toDouble(w), withBias ? toDouble(bias) : null, n, in, out), b.toHost(y));
            b.linearBackward(tx, tw, b.fromHost(dy, Shape.of(n, out)), dx, dw, withBias ? db : null);
            double[][] ref = RefDense.linearBackward(toDouble(x), toDouble(w), toDouble(dy), n, in, out);
            assertMaxRelClose("dx " + tag, ref[0], b.toHost(dx));
            assertMaxRelClose("dw " + tag, ref[1], b.toHost(dw));
            if (withBias) assertMaxRelClose("dbias " + tag, ref[2], b.toHost(db));
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void linearBackwardWithoutInputGradientLeavesItOut(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            float[] x = randomFloats("nodx x", 4 * 6, -1, 1), w = randomFloats("nodx w", 3 * 6, -1, 1), dy = randomFloats("nodx dy", 4 * 3, -1, 1);
            Tensor dw = poisoned(b, 3, 6);
            b.linearBackward(b.fromHost(x, Shape.of(4, 6)), b.fromHost(w, Shape.of(3, 6)), b.fromHost(dy, Shape.of(4, 3)), null, dw, null);
            assertMaxRelClose("dw without dx", RefDense.linearBackward(toDouble(x), toDouble(w), toDouble(dy), 4, 6, 3)[1], b.toHost(dw));
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void convMatchesReference(Backend b) {
        for (int[] c : CONVS) for (boolean withBias : new boolean[]{true, false}) try (TensorScope scope = TensorScope.open()) {
            ConvGeometry g = new ConvGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
            String tag = Arrays.toString(c) + (withBias ? "" : " no bias") + " on " + b.name() + "/" + b.threads();
            float[] x = randomFloats("conv x " + tag, g.inputShape().numel(), -1, 1);
            float[] w = randomFloats("conv w " + tag, g.weightShape().numel(), -1, 1);
            float[] bias = randomFloats("conv bias " + tag, g.outChannels(), -1, 1);
            float[] dy = randomFloats("conv dy " + tag, g.outputShape().numel(), -1, 1);
            Tensor tx = b.fromHost(x, g.inputShape()), tw = b.fromHost(w, g.weightShape()), tdy = b.fromHost(dy, g.outputShape());
            Tensor y = poisoned(b, g.outputShape().dims()), dx = poisoned(b, g.inputShape().dims());
            Tensor dw = poisoned(b, g.weightShape().dims()), db = poisoned(b, g.outChannels());

            b.conv2dForward(tx, tw, withBias ? b.fromHost(bias, g.biasShape()) : null, y, g);
            assertMaxRelClose("conv fwd " + tag, RefDense.conv2dForward(toDouble(x), toDouble(w), withBias ? toDouble(bias) : null, g), b.toHost(y));
            b.conv2dBackwardData(tdy, tw, dx, g);
            assertMaxRelClose("conv bwd-data " + tag, RefDense.conv2dBackwardData(toDouble(dy), toDouble(w), g), b.toHost(dx));
            b.conv2dBackwardFilter(tx, tdy, dw, withBias ? db : null, g);
            assertMaxRelClose("conv bwd-filter " + tag, RefDense.conv2dBackwardFilter(toDouble(x), toDouble(dy), g), b.toHost(dw));
            if (withBias) assertMaxRelClose("conv dbias " + tag, RefDense.conv2dBiasGrad(toDouble(dy), g), b.toHost(db));
        }
    }

    @Test
    void convResultsDoNotDependOnTheThreadCount() {
        // runs must be bit-reproducible whatever --threads is: partial sums are combined in a fixed order
        try (CpuBackend one = new CpuBackend(1); CpuBackend two = new CpuBackend(2)) {
            for (int[] c : CONVS) {
                ConvGeometry g = new ConvGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
                String tag = Arrays.toString(c);
                float[] x = randomFloats("threads x " + tag, g.inputShape().numel(), -1, 1);
                float[] w = randomFloats("threads w " + tag, g.weightShape().numel(), -1, 1);
                float[] dy = randomFloats("threads dy " + tag, g.outputShape().numel(), -1, 1);
                float[][] a = convAll(one, g, x, w, dy), bb = convAll(two, g, x, w, dy);
                for (int i = 0; i < a.length; i++) assertTrue(Arrays.equals(a[i], bb[i]), "output " + i + " of " + tag + " differs between 1 and 2 threads");
            }
        }
    }

    private static float[][] convAll(Backend b, ConvGeometry g, float[] x, float[] w, float[] dy) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor tx = b.fromHost(x, g.inputShape()), tw = b.fromHost(w, g.weightShape()), tdy = b.fromHost(dy, g.outputShape());
            Tensor y = poisoned(b, g.outputShape().dims()), dx = poisoned(b, g.inputShape().dims());
            Tensor dw = poisoned(b, g.weightShape().dims()), db = poisoned(b, g.outChannels());
            b.conv2dForward(tx, tw, null, y, g);
            b.conv2dBackwardData(tdy, tw, dx, g);
            b.conv2dBackwardFilter(tx, tdy, dw, db, g);
            return new float[][] {b.toHost(y), b.toHost(dx), b.toHost(dw), b.toHost(db)};
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void convGivesTheSameResultWhenCalledTwice(Backend b) {
        // scratch buffers come back from the pool dirty: a second call must not see the first one's leftovers
        try (TensorScope scope = TensorScope.open()) {
            ConvGeometry g = new ConvGeometry(4, 3, 7, 6, 5, 3, 3, 2, 1, 1, 1);
            Tensor x = b.fromHost(randomFloats("twice x", g.inputShape().numel(), -1, 1), g.inputShape());
            Tensor w = b.fromHost(randomFloats("twice w", g.weightShape().numel(), -1, 1), g.weightShape());
            Tensor dy = b.fromHost(randomFloats("twice dy", g.outputShape().numel(), -1, 1), g.outputShape());
            float[][] first = new float[3][];
            for (int round = 0; round < 2; round++) {
                Tensor y = poisoned(b, g.outputShape().dims()), dx = poisoned(b, g.inputShape().dims()), dw = poisoned(b, g.weightShape().dims());
                b.conv2dForward(x, w, null, y, g);
                b.conv2dBackwardData(dy, w, dx, g);
                b.conv2dBackwardFilter(x, dy, dw, null, g);
                float[][] now = {b.toHost(y), b.toHost(dx), b.toHost(dw)};
                if (round == 0) first = now;
                else for (int i = 0; i < 3; i++) assertTrue(Arrays.equals(first[i], now[i]), "output " + i + " changed between identical calls");
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void shapeMismatchesNameTheOpAndBothShapes(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = b.empty(Shape.of(3, 4)), bb = b.empty(Shape.of(5, 6)), c = b.empty(Shape.of(3, 6));
            ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> b.gemm(false, false, 1f, a, bb, 0f, c));
            assertMessage(e, "gemm", "[3, 4]", "[5, 6]");

            ConvGeometry g = new ConvGeometry(2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1);
            Tensor x = b.empty(Shape.of(2, 3, 8, 9)), w = b.empty(g.weightShape()), y = b.empty(g.outputShape());
            e = assertThrows(ShapeMismatchException.class, () -> b.conv2dForward(x, w, null, y, g));
            assertMessage(e, "conv2dForward", "[2, 3, 8, 9]", "[2, 3, 8, 8]");
            Tensor wrongW = b.empty(Shape.of(4, 3, 5, 5)), dx = b.empty(g.inputShape());
            e = assertThrows(ShapeMismatchException.class, () -> b.conv2dBackwardData(y, wrongW, dx, g));
            assertMessage(e, "conv2dBackwardData", "[4, 3, 5, 5]", "[4, 3, 3, 3]");

            Tensor lx = b.empty(Shape.of(2, 7)), lw = b.empty(Shape.of(3, 8)), ly = b.empty(Shape.of(2, 3));
            e = assertThrows(ShapeMismatchException.class, () -> b.linearForward(lx, lw, null, ly));
            assertMessage(e, "linearForward", "[2, 7]", "[3, 8]");
        }
    }

    private static void assertMessage(ShapeMismatchException e, String op, String shape1, String shape2) {
        String msg = e.getMessage();
        assertEquals(op, e.op(), msg);
        assertTrue(msg.contains(op) && msg.contains(shape1) && msg.contains(shape2), "message should name " + op + ", " + shape1 + " and " + shape2 + ": " + msg);
    }

    /** max |got - ref| <= TOL * max |ref|, and nothing NaN. */
    static void assertMaxRelClose(String what, double[] ref, float[] got) {
        assertEquals(ref.length, got.length, what + ": length");
        double maxRef = 0, maxErr = 0;
        int worst = -1;
        for (double v : ref) maxRef = Math.max(maxRef, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            if (!Float.isFinite(got[i])) fail(what + "[" + i + "] is " + got[i] + " (element not written?), reference " + ref[i]);
            double err = Math.abs(got[i] - ref[i]);
            if (err > maxErr) { maxErr = err; worst = i; }
        }
        if (maxErr > TOL * Math.max(maxRef, 1e-30))
            fail(what + ": max error " + maxErr + " at [" + worst + "] (got " + got[worst] + ", reference " + ref[worst] + ") exceeds "
                    + TOL + " x max |ref| " + maxRef + " (seed base " + OpsKit.BASE_SEED + ")");
    }

    private static float[] nan(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    private static Tensor poisoned(Backend b, int... dims) {
        Shape s = Shape.of(dims);
        return b.fromHost(nan(s.numel()), s);
    }
}
