package org.reaper.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.reference.CentralDifference;
import org.reaper.reference.RefOrthoPenalty;
import org.reaper.tensor.Shape;
import org.reaper.tensor.TensorScope;

/**
 * The soft orthogonality penalty ({@link OrthoPenaltyFn}): its float64 reference against float64 central
 * differences, the op's value and backward against that reference on every backend, a finite-difference check
 * of the op itself, and dropped (all-zero) filters: left out, no NaN, zero gradient.
 */
class OrthoPenaltyFnTest {
    private static final double ZERO = OrthoPenaltyFn.ZERO_NORM2;

    /** Layer shapes: a 3x3 conv (J < D), a 1x1 conv with more filters than inputs (J > D: cannot be orthogonal). */
    private static final int[][] SHAPES = {{5, 3, 3, 3}, {7, 2, 1, 1}};

    private static float[] weights(String label, int[] dims) { return OpsKit.randomFloats(label, Shape.of(dims).numel(), -0.5f, 0.5f); }

    private static int rows(int[] dims) { return dims[0]; }
    private static int cols(int[] dims) { return Shape.of(dims).numel() / dims[0]; }

    @Test void referenceGradientIsItsCentralDifference() {
        for (int[] dims : SHAPES) {
            int j = rows(dims), d = cols(dims);
            double[] w = OpsKit.toDouble(weights("ortho-ref/" + j, dims));
            for (int k = 0; k < d; k++) w[2 * d + k] = 0;        // a dropped row: left out, so no derivative is defined by perturbing it
            double[] analytic = RefOrthoPenalty.gradient(w, j, d, ZERO);
            double[] numeric = CentralDifference.gradient(w, x -> RefOrthoPenalty.value(x, j, d, ZERO), 1e-6);
            double scale = 0;
            for (double v : numeric) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 0.1, "the check is not trivial: max |gradient| " + scale);
            for (int i = 0; i < w.length; i++) {
                if (i / d == 2) { assertEquals(0.0, analytic[i], "dropped row: zero gradient"); continue; }
                assertEquals(numeric[i], analytic[i], 1e-7 * scale, "d/dw[" + i + "] of layer " + j + "x" + d);
            }
        }
    }

    @Test void referenceKnownValues() {
        // two unit rows at 60 degrees: G = [[1, .5], [.5, 1]] -> 2 * 0.25; lengths do not matter (rows are normalised)
        double[] w = {3, 0, 0.5, 0.5 * Math.sqrt(3)};
        assertEquals(0.5, RefOrthoPenalty.value(w, 2, 2, ZERO), 1e-12);
        // orthogonal rows of any lengths: 0; one zero row is left out, not counted as -1 on the diagonal
        assertEquals(0.0, RefOrthoPenalty.value(new double[] {2, 0, 0, 0, 0, 0, 0, 0.1, 0}, 3, 3, ZERO), 1e-12);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void valueAndGradientMatchTheFloat64Reference(Backend b) {
        float scale = 0.7f;
        float[][] host = {weights("ortho-op/a", SHAPES[0]), weights("ortho-op/b", SHAPES[1])};
        Variable w0 = new Variable(b.fromHost(host[0], Shape.of(SHAPES[0])), true), w1 = new Variable(b.fromHost(host[1], Shape.of(SHAPES[1])), true);
        double refValue = 0;
        for (int l = 0; l < 2; l++) refValue += RefOrthoPenalty.value(OpsKit.toDouble(host[l]), rows(SHAPES[l]), cols(SHAPES[l]), ZERO);
        try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
            OrthoPenaltyFn f = OrthoPenaltyFn.compute(b, scale, List.of(w0, w1));
            assertEquals(refValue, f.penalty(), 2e-6 * refValue, "unscaled penalty on " + b);
            assertEquals(scale * refValue, b.toHost(f.output().value())[0], 2e-6 * refValue, "scaled value on " + b);
            tape.backward(b, f.output());
            for (int l = 0; l < 2; l++) {
                double[] ref = RefOrthoPenalty.gradient(OpsKit.toDouble(host[l]), rows(SHAPES[l]), cols(SHAPES[l]), ZERO);
                for (int i = 0; i < ref.length; i++) ref[i] *= scale;
                OpsKit.assertClose("d penalty / d w" + l, ref, b, (l == 0 ? w0 : w1).grad(), 2e-4);
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void finiteDifferences(Backend b) {
        Variable w0 = GradCheck.leaf(b, "ortho-fd/a", -0.5f, 0.5f, SHAPES[0]), w1 = GradCheck.leaf(b, "ortho-fd/b", -0.5f, 0.5f, SHAPES[1]);
        GradCheck.check("ortho penalty", b, List.of(w0, w1), () -> OrthoPenaltyFn.apply(b, 1.3f, List.of(w0, w1)), 2e-3f, 1e-2);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void droppedFiltersAreLeftOutWithoutNaN(Backend b) {
        int[] dims = SHAPES[0];
        int j = rows(dims), d = cols(dims);
        float[] w = weights("ortho-drop", dims);
        for (int r : new int[] {1, 3}) java.util.Arrays.fill(w, r * d, (r + 1) * d, 0f);   // RePr zeroes a dropped filter's row
        float[] kept = new float[3 * d];
        int at = 0;
        for (int r : new int[] {0, 2, 4}) { System.arraycopy(w, r * d, kept, at, d); at += d; }
        Variable wv = new Variable(b.fromHost(w, Shape.of(dims)), true);
        Variable allZero = new Variable(b.zeros(Shape.of(4, 2, 3, 3)), true);
        try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
            OrthoPenaltyFn f = OrthoPenaltyFn.compute(b, 1f, List.of(wv, allZero));
            double sub = RefOrthoPenalty.value(OpsKit.toDouble(kept), 3, d, ZERO);
            assertTrue(sub > 0.01, "the kept rows are not orthogonal: " + sub);
            assertEquals(sub, f.penalty(), 2e-6 * sub, "the penalty of the sub-network (3 kept filters) on " + b);
            tape.backward(b, f.output());
            float[] g = b.toHost(wv.grad()), gz = b.toHost(allZero.grad());
            for (int i = 0; i < g.length; i++) {
                if (!Float.isFinite(g[i])) fail("gradient[" + i + "] = " + g[i] + " on " + b);
                if ((i / d == 1 || i / d == 3) && g[i] != 0f) fail("dropped row " + i / d + " got gradient " + g[i] + " on " + b);
            }
            for (float v : gz) assertEquals(0f, v, "an all-zero layer has no gradient");
            double[] ref = RefOrthoPenalty.gradient(OpsKit.toDouble(w), j, d, ZERO);
            OpsKit.assertClose("gradient with dropped rows", ref, g, 2e-4);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void orthogonalFiltersOfAnyLengthCostNothing(Backend b) {
        int j = 4, d = 6;
        float[] w = new float[j * d];
        float[] lengths = {0.01f, 3f, 0.5f, 20f};
        for (int r = 0; r < j; r++) w[r * d + (r + 1)] = (r % 2 == 0 ? 1 : -1) * lengths[r];
        Variable wv = new Variable(b.fromHost(w, Shape.of(j, d, 1, 1)), true);
        try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
            OrthoPenaltyFn f = OrthoPenaltyFn.compute(b, 1f, List.of(wv));
            assertEquals(0.0, f.penalty(), 1e-6);
            tape.backward(b, f.output());
            for (float v : b.toHost(wv.grad())) assertEquals(0f, v, 1e-5f);
        }
    }
}
