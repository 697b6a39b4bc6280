package org.reaper.backend;

import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Max and average pooling, forward and backward, against the float64 reference. */
class PoolKernelsTest {
    /** n, c, h, w, kernel h, kernel w, stride h, stride w, pad h, pad w. */
    private static final int[][] GEOMETRIES = {
            {2, 3, 8, 8, 2, 2, 2, 2, 0, 0},    // the usual 2x2/2
            {2, 3, 6, 70, 2, 2, 2, 2, 0, 0},   // wide rows (35 outputs)
            {1, 2, 5, 33, 2, 2, 2, 2, 0, 0},   // odd width and height: the last column and row are in no window
            {1, 2, 7, 9, 3, 3, 2, 2, 1, 1},    // ResNet-style 3x3/2 pad 1, odd non-square, batch 1
            {3, 2, 7, 5, 2, 2, 2, 2, 0, 0},    // odd sizes: last row/column dropped (floor mode)
            {2, 3, 6, 6, 3, 3, 1, 1, 1, 1},    // overlapping windows
            {2, 5, 7, 7, 7, 7, 1, 1, 0, 0},    // global pooling
            {1, 1, 5, 8, 2, 4, 1, 3, 1, 2},    // rectangular window, unequal strides and pads
    };

    private static PoolGeometry geometry(int[] g) { return new PoolGeometry(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9]); }

    private static RefOps.Pool refPool(int[] g) { return new RefOps.Pool(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9]); }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void maxPoolMatchesReference(Backend b) {
        for (int[] gs : GEOMETRIES) for (boolean ties : new boolean[] {false, true}) try (TensorScope scope = TensorScope.open()) {
            PoolGeometry g = geometry(gs);
            RefOps.Pool p = refPool(gs);
            String tag = java.util.Arrays.toString(gs) + (ties ? " with ties" : "");
            float[] x = randomFloats("maxpool-x" + tag, g.inputShape().numel(), -1, 1);
            if (ties) for (int i = 0; i < x.length; i++) x[i] = Math.round(x[i] * 2) / 2f; // few levels: many equal maxima
            float[] dy = randomFloats("maxpool-dy" + tag, g.outputShape().numel(), -1, 1);
            Tensor tx = b.fromHost(x, g.inputShape()), y = poisoned(b, g.outputShape().dims()), dx = poisoned(b, g.inputShape().dims());
            Tensor at = poisoned(b, g.outputShape().dims()), yAlone = poisoned(b, g.outputShape().dims());
            b.maxPool2dForward(tx, y, at, g);
            assertClose("maxpool fwd " + tag, RefOps.maxPool(toDouble(x), p), b, y, 0);
            assertClose("maxpool argmax " + tag, firstMaxPositions(x, g), b, at, 0);
            b.maxPool2dForward(tx, yAlone, null, g);
            assertClose("maxpool fwd without argmax " + tag, RefOps.maxPool(toDouble(x), p), b, yAlone, 0);
            b.maxPool2dBackward(at, b.fromHost(dy, g.outputShape()), dx, g);
            assertClose("maxpool bwd (first max) " + tag, RefOps.maxPoolBackward(toDouble(x), toDouble(dy), p), b, dx, 1e-6);
        }
    }

    /** Per window, row * kernelW + col of its first maximum (the first NaN if any), padding positions counted. */
    private static double[] firstMaxPositions(float[] x, PoolGeometry g) {
        double[] at = new double[g.outputShape().numel()];
        int o = 0;
        for (int p = 0; p < g.batch() * g.channels(); p++) for (int r = 0; r < g.outH(); r++) for (int c = 0; c < g.outW(); c++) {
            int best = -1;
            float bestV = 0;
            for (int i = 0; i < g.kernelH(); i++) for (int j = 0; j < g.kernelW(); j++) {
                int ih = r * g.strideH() - g.padH() + i, iw = c * g.strideW() - g.padW() + j;
                if (ih < 0 || iw < 0 || ih >= g.inH() || iw >= g.inW()) continue;
                float v = x[(p * g.inH() + ih) * g.inW() + iw];
                if (best < 0 || (!Float.isNaN(bestV) && (Float.isNaN(v) || v > bestV))) { best = i * g.kernelW() + j; bestV = v; }
            }
            at[o++] = best;
        }
        return at;
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void avgPoolMatchesReference(Backend b) {
        for (int[] gs : GEOMETRIES) try (TensorScope scope = TensorScope.open()) {
            PoolGeometry g = geometry(gs);
            RefOps.Pool p = refPool(gs);
            String tag = java.util.Arrays.toString(gs);
            float[] x = randomFloats("avgpool-x" + tag, g.inputShape().numel(), -1, 1);
            float[] dy = randomFloats("avgpool-dy" + tag, g.outputShape().numel(), -1, 1);
            Tensor y = poisoned(b, g.outputShape().dims()), dx = poisoned(b, g.inputShape().dims());
            b.avgPool2dForward(b.fromHost(x, g.inputShape()), y, g);
            assertClose("avgpool fwd " + tag, RefOps.avgPool(toDouble(x), p), b, y, 1e-5);
            b.avgPool2dBackward(b.fromHost(dy, g.outputShape()), dx, g);
            assertClose("avgpool bwd " + tag, RefOps.avgPoolBackward(toDouble(dy), p), b, dx, 1e-5);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void globalFactoryPoolsWholePlanes(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            Shape in = Shape.of(3, 4, 5, 6);
            PoolGeometry g = PoolGeometry.global(in);
            float[] x = randomFloats("global", in.numel(), -1, 1);
            double[] mean = new double[12], max = new double[12];
            for (int pl = 0; pl < 12; pl++) {
                max[pl] = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 30; k++) { mean[pl] += x[pl * 30 + k] / 30.0; max[pl] = Math.max(max[pl], x[pl * 30 + k]); }
            }
            Tensor y = poisoned(b, 3, 4, 1, 1);
            b.avgPool2dForward(b.fromHost(x, in), y, g);
            assertClose("global avg", mean, b, y, 1e-5);
            b.maxPool2dForward(b.fromHost(x, in), y, null, g);
            assertClose("global max", max, b, y, 0);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void maxPoolPropagatesNaNAndRoutesToTheFirstNaN(Backend b) {
        // {geometry..., expected dx[1], expected dx[4]}: x[1] and x[4] are NaN; overlapping 3x3 windows share x[1]
        for (int[] gs : new int[][] {{1, 1, 4, 4, 2, 2, 2, 2, 0, 0, 1, 0}, {1, 1, 4, 4, 3, 3, 1, 1, 0, 0, 2, 1}}) try (TensorScope scope = TensorScope.open()) {
            PoolGeometry g = geometry(gs);
            float[] x = randomFloats("nan" + java.util.Arrays.toString(gs), 16, -1, 1);
            x[1] = Float.NaN;
            x[4] = Float.NaN;
            Tensor y = poisoned(b, g.outputShape().dims()), at = poisoned(b, g.outputShape().dims()), dx = poisoned(b, 1, 1, 4, 4);
            b.maxPool2dForward(b.fromHost(x, g.inputShape()), y, at, g);
            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(b.toHost(y)[0]), "window 0 holds NaN on " + b);
            float[] ones = new float[g.outputShape().numel()];
            java.util.Arrays.fill(ones, 1f);
            b.maxPool2dBackward(at, b.fromHost(ones, g.outputShape()), dx, g);
            float[] d = b.toHost(dx);
            org.junit.jupiter.api.Assertions.assertEquals(gs[10], d[1], 0f, "windows route to their first NaN on " + b);
            org.junit.jupiter.api.Assertions.assertEquals(gs[11], d[4], 0f, "a later NaN in a window gets nothing from it on " + b);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void wideTwoByTwoMaxPoolRoutesToTheFirstMaximumOrNaN(Backend b) {
        // wide rows with NaNs of both signs, signed zeros and ties among the window's four
        int n = 2, c = 2, h = 4, w = 68, oh = 2, ow = 34;
        float[] x = randomFloats("wide-nan", n * c * h * w, -1, 1);
        float[] levels = {Float.NaN, -Float.NaN, 0f, -0f, 0.5f, 0.5f, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < x.length; i++) if (i % 5 == 0) x[i] = levels[(i / 5) % levels.length];
        float[] dy = randomFloats("wide-nan-dy", n * c * oh * ow, -1, 1);
        float[] expectY = new float[dy.length], expectDx = new float[x.length];
        for (int p = 0; p < n * c; p++) for (int r = 0; r < oh; r++) for (int q = 0; q < ow; q++) {
            int[] at = {(p * h + 2 * r) * w + 2 * q, (p * h + 2 * r) * w + 2 * q + 1, (p * h + 2 * r + 1) * w + 2 * q, (p * h + 2 * r + 1) * w + 2 * q + 1};
            int best = at[0];
            for (int k = 1; k < 4; k++) {
                float v = x[at[k]], m = x[best];
                if (!Float.isNaN(m) && (Float.isNaN(v) || v > m)) best = at[k];
            }
            expectY[(p * oh + r) * ow + q] = x[best];
            expectDx[best] += dy[(p * oh + r) * ow + q];
        }
        try (TensorScope scope = TensorScope.open()) {
            PoolGeometry g = new PoolGeometry(n, c, h, w, 2, 2, 2, 2, 0, 0);
            Tensor y = poisoned(b, n, c, oh, ow), at = poisoned(b, n, c, oh, ow), dx = poisoned(b, n, c, h, w);
            b.maxPool2dForward(b.fromHost(x, g.inputShape()), y, at, g);
            float[] gotY = b.toHost(y);
            for (int i = 0; i < gotY.length; i++) {
                boolean same = Float.isNaN(expectY[i]) ? Float.isNaN(gotY[i]) : gotY[i] == expectY[i];
                org.junit.jupiter.api.Assertions.assertTrue(same, "y[" + i + "] = " + gotY[i] + ", expected " + expectY[i] + " on " + b);
            }
            b.maxPool2dBackward(at, b.fromHost(dy, g.outputShape()), dx, g);
            float[] gotDx = b.toHost(dx);
            for (int i = 0; i < gotDx.length; i++)
                org.junit.jupiter.api.Assertions.assertEquals(expectDx[i], gotDx[i], 0f, "dx[" + i + "] on " + b);
        }
    }
}
