package org.reaper.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OpsKit;

/**
 * Proves the float64 reference backward passes of conv2d and linear are the derivatives of the
 * reference forward passes: for L = sum(forward(...) * r) with random r, every analytic gradient
 * element must match a central finite difference of L (to ~1e-7).
 */
class RefDenseGradientTest {
    private static final double STEP = 1e-5, TOL = 1e-7;

    private static final ConvGeometry[] GEOMETRIES = {
            new ConvGeometry(2, 3, 5, 6, 4, 3, 3, 2, 2, 1, 1),   // stride 2, pad 1, non-square
            new ConvGeometry(1, 2, 4, 4, 3, 1, 1, 1, 1, 0, 0),   // 1x1
            new ConvGeometry(1, 2, 7, 5, 2, 5, 5, 1, 1, 2, 2),   // 5x5 pad 2
            new ConvGeometry(2, 2, 6, 5, 3, 3, 2, 1, 2, 0, 1),   // rectangular kernel, unequal strides and pads
    };

    @Test
    void convBackwardIsTheDerivativeOfConvForward() {
        for (ConvGeometry g : GEOMETRIES) {
            String tag = g.toString();
            double[] x = rand("x" + tag, g.inputShape().numel()), w = rand("w" + tag, g.weightShape().numel());
            double[] b = rand("b" + tag, g.outChannels()), r = rand("r" + tag, g.outputShape().numel());
            double[] dx = RefDense.conv2dBackwardData(r, w, g);
            double[] dw = RefDense.conv2dBackwardFilter(x, r, g);
            double[] db = RefDense.conv2dBiasGrad(r, g);
            check("conv dx " + tag, x, dx, v -> dot(RefDense.conv2dForward(v, w, b, g), r));
            check("conv dw " + tag, w, dw, v -> dot(RefDense.conv2dForward(x, v, b, g), r));
            check("conv db " + tag, b, db, v -> dot(RefDense.conv2dForward(x, w, v, g), r));
        }
    }

    @Test
    void linearBackwardIsTheDerivativeOfLinearForward() {
        int n = 3, in = 5, out = 4;
        double[] x = rand("lx", n * in), w = rand("lw", out * in), b = rand("lb", out), r = rand("lr", n * out);
        double[][] grads = RefDense.linearBackward(x, w, r, n, in, out);
        check("linear dx", x, grads[0], v -> dot(RefDense.linearForward(v, w, b, n, in, out), r));
        check("linear dw", w, grads[1], v -> dot(RefDense.linearForward(x, v, b, n, in, out), r));
        check("linear db", b, grads[2], v -> dot(RefDense.linearForward(x, w, v, n, in, out), r));
    }

    @Test
    void gemmMatchesItsDefinitionOnATinyCase() {
        // [[1,2],[3,4]] * [[5,6],[7,8]] = [[19,22],[43,50]]; with alpha 2, beta -1 and C = ones.
        double[] c = RefDense.gemm(false, false, 2, 2, 2, 2, new double[]{1, 2, 3, 4}, new double[]{5, 6, 7, 8}, -1, new double[]{1, 1, 1, 1});
        assertTrue(java.util.Arrays.equals(c, new double[]{37, 43, 85, 99}), java.util.Arrays.toString(c));
        double[] t = RefDense.gemm(true, true, 2, 2, 2, 1, new double[]{1, 3, 2, 4}, new double[]{5, 7, 6, 8}, 0, null);
        assertTrue(java.util.Arrays.equals(t, new double[]{19, 22, 43, 50}), java.util.Arrays.toString(t));
    }

    private static void check(String what, double[] at, double[] analytic, Function<double[], Double> loss) {
        double[] numeric = CentralDifference.gradient(at, loss, STEP);
        for (int i = 0; i < at.length; i++) {
            double err = Math.abs(numeric[i] - analytic[i]) / Math.max(1, Math.abs(numeric[i]));
            assertTrue(err <= TOL, what + "[" + i + "]: analytic " + analytic[i] + " vs finite difference " + numeric[i]);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double[] rand(String label, int n) { return OpsKit.toDouble(OpsKit.randomFloats("refdense-" + label, n, -1, 1)); }
}
