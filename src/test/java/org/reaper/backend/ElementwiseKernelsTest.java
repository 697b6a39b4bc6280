package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** fill, copy, add, mul, scale, axpy, sum, sumOfSquares, relu and its backward against float64 loops. */
class ElementwiseKernelsTest {
    /** Odd sizes, a single element, and one large enough to be split across threads and reduction chunks. */
    private static final int[][] SHAPES = {{1}, {7, 3}, {2, 5, 3, 3}, {3, 70001}};

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void fillAndCopy(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            Tensor t = poisoned(b, s);
            b.fill(t, -2.5f);
            for (float v : b.toHost(t)) assertEquals(-2.5f, v);
            float[] a = randomFloats("copy", t.numel(), -1, 1);
            Tensor dst = poisoned(b, s);
            b.copy(upload(b, a, s), dst);
            assertBitEqual("copy", a, b.toHost(dst));
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void addMulScaleAxpy(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            float[] x = randomFloats("ew-x", numel(s), -2, 2), y = randomFloats("ew-y", numel(s), -3, 1);
            double[] sum = new double[x.length], prod = new double[x.length], scaled = new double[x.length], axpy = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                sum[i] = (double) x[i] + y[i];
                prod[i] = (double) x[i] * y[i];
                scaled[i] = -0.75 * x[i];
                axpy[i] = y[i] + 1.25 * x[i];
            }
            Tensor tx = upload(b, x, s), ty = upload(b, y, s), out = poisoned(b, s);
            b.add(tx, ty, out);
            assertClose("add", sum, b, out, 1e-6);
            b.fill(out, Float.NaN);
            b.mul(tx, ty, out);
            assertClose("mul", prod, b, out, 1e-6);
            b.fill(out, Float.NaN);
            b.scale(tx, -0.75f, out);
            assertClose("scale", scaled, b, out, 1e-6);
            b.axpy(1.25f, tx, ty);
            assertClose("axpy", axpy, b, ty, 1e-6);

            // aliasing: out = a
            Tensor a2 = upload(b, x, s);
            b.add(a2, upload(b, y, s), a2);
            assertClose("add in place", sum, b, a2, 1e-6);
            Tensor m2 = upload(b, x, s);
            b.mul(upload(b, y, s), m2, m2);
            assertClose("mul in place", prod, b, m2, 1e-6);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void sumsInDouble(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            float[] x = randomFloats("sum", numel(s), -1, 3);
            double ref = 0, refSq = 0;
            for (float v : x) { ref += v; refSq += (double) v * v; }
            Tensor t = upload(b, x, s);
            assertEquals(ref, b.sum(t), 1e-12 * Math.max(1, Math.abs(ref)) * Math.sqrt(x.length), "sum on " + b);
            assertEquals(refSq, b.sumOfSquares(t), 1e-12 * refSq * Math.sqrt(x.length), "sumOfSquares on " + b);
        }
        try (TensorScope scope = TensorScope.open()) {
            // a float accumulator would lose the small terms next to the large one
            float[] x = new float[100_000];
            java.util.Arrays.fill(x, 1e-3f);
            x[0] = 1e8f;
            double ref = 0;
            for (float v : x) ref += v;
            assertEquals(ref, b.sum(upload(b, x, x.length)), 1e-2, "sum must accumulate in double on " + b);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void reluAndBackward(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            float[] x = randomFloats("relu-x", numel(s), -1, 1), dy = randomFloats("relu-dy", numel(s), -2, 2);
            Tensor y = poisoned(b, s), dx = poisoned(b, s);
            b.relu(upload(b, x, s), y);
            double[] refY = RefOps.relu(toDouble(x));
            assertClose("relu", refY, b, y, 0);
            b.reluBackward(y, upload(b, dy, s), dx);
            assertClose("reluBackward", RefOps.reluBackward(refY, toDouble(dy)), b, dx, 0);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void addReluIsTheReluOfTheSumWithNaNPropagated(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            int n = numel(s);
            float[] x = randomFloats("addrelu-x", n, -1, 1), y = randomFloats("addrelu-y", n, -1, 1);
            x[n / 2] = Float.NaN;
            if (n > 2) { x[1] = -0f; y[1] = -0f; }   // a sum of -0: ReLU gives +0, as Math.max and relu
            Tensor out = poisoned(b, s);
            b.addRelu(upload(b, x, s), upload(b, y, s), out);
            float[] got = b.toHost(out);
            for (int i = 0; i < n; i++) {
                float want = Float.isNaN(x[i]) ? Float.NaN : Math.max(x[i] + y[i], 0f);   // one float add, then the max
                if (Float.floatToIntBits(want) != Float.floatToIntBits(got[i]))
                    org.junit.jupiter.api.Assertions.fail("addRelu[" + i + "] on " + b + ": " + x[i] + " + " + y[i] + " gave " + got[i] + ", expected " + want);
            }
        }
    }

    static int numel(int[] s) {
        int n = 1;
        for (int d : s) n *= d;
        return n;
    }
}
