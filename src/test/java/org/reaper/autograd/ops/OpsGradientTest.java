package org.reaper.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Finite-difference checks of every autograd Function, on every test backend. */
class OpsGradientTest {
    private static final float EPS = 1e-2f;
    private static final double TOL = 1e-2;

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void conv2dStride1Pad1WithBias(Backend b) {
        Variable x = GradCheck.leaf(b, "conv/x", -1, 1, 2, 3, 5, 5);
        Variable w = GradCheck.leaf(b, "conv/w", -0.5f, 0.5f, 4, 3, 3, 3);
        Variable bias = GradCheck.leaf(b, "conv/b", -0.5f, 0.5f, 4);
        GradCheck.check("conv2d k3 s1 p1", b, List.of(x, w, bias), () -> Conv2dFn.apply(b, x, w, bias, 1, 1), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void conv2dStride2NoBiasOddSizes(Backend b) {
        Variable x = GradCheck.leaf(b, "conv2/x", -1, 1, 1, 2, 7, 6);
        Variable w = GradCheck.leaf(b, "conv2/w", -0.5f, 0.5f, 3, 2, 3, 3);
        GradCheck.check("conv2d k3 s2 p0", b, List.of(x, w), () -> Conv2dFn.apply(b, x, w, null, 2, 0), EPS, TOL);
        Variable w5 = GradCheck.leaf(b, "conv5/w", -0.3f, 0.3f, 2, 2, 5, 5);
        GradCheck.check("conv2d k5 s2 p2", b, List.of(x, w5), () -> Conv2dFn.apply(b, x, w5, null, 2, 2), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void conv2dOnConstantInputGivesNoInputGradient(Backend b) {
        Variable x = Variable.constant(b.fromHost(OpsKit.randomFloats("convc/x", 2 * 3 * 4 * 4, -1, 1), Shape.of(2, 3, 4, 4)));
        Variable w = GradCheck.leaf(b, "convc/w", -0.5f, 0.5f, 2, 3, 1, 1);
        GradCheck.check("conv2d k1 constant input", b, List.of(w), () -> Conv2dFn.apply(b, x, w, null, 1, 0), EPS, TOL);
        assertNull(x.grad());
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void linear(Backend b) {
        Variable x = GradCheck.leaf(b, "lin/x", -1, 1, 3, 5);
        Variable w = GradCheck.leaf(b, "lin/w", -1, 1, 4, 5);
        Variable bias = GradCheck.leaf(b, "lin/b", -1, 1, 4);
        GradCheck.check("linear", b, List.of(x, w, bias), () -> LinearFn.apply(b, x, w, bias), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void batchNormTraining(Backend b) { checkBatchNormTraining(b, "bn", false); }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void batchNormReluTraining(Backend b) { checkBatchNormTraining(b, "bnr", true); }

    private static void checkBatchNormTraining(Backend b, String label, boolean relu) {
        Variable x = GradCheck.leaf(b, label + "/x", -2, 2, 3, 2, 3, 3);
        Variable gamma = GradCheck.leaf(b, label + "/g", 0.5f, 1.5f, 2);
        Variable beta = GradCheck.leaf(b, label + "/b", -1, 1, 2);
        Tensor rm = b.zeros(Shape.of(2)), rv = b.zeros(Shape.of(2));
        b.fill(rv, 1f);
        GradCheck.check(relu ? "batchnorm2d+relu train" : "batchnorm2d train", b, List.of(x, gamma, beta),
                () -> BatchNorm2dFn.apply(b, x, gamma, beta, rm, rv, 0.1f, 1e-5f, true, relu), 3e-3f, 2e-2);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void batchNormEvalPassesGradientToInput(Backend b) { checkBatchNormEval(b, "bne", false); }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void batchNormReluEvalPassesGradientWhereTheOutputIsPositive(Backend b) { checkBatchNormEval(b, "bnre", true); }

    private static void checkBatchNormEval(Backend b, String label, boolean relu) {
        Variable x = GradCheck.leaf(b, label + "/x", -2, 2, 2, 3, 2, 2);
        Variable gamma = Variable.constant(b.fromHost(new float[] {0.5f, -1.5f, 2f}, Shape.of(3)));
        Variable beta = Variable.constant(b.fromHost(new float[] {0.1f, 0.2f, 0.3f}, Shape.of(3)));
        Tensor rm = b.fromHost(new float[] {0.3f, -0.2f, 0f}, Shape.of(3));
        Tensor rv = b.fromHost(new float[] {0.5f, 2f, 1f}, Shape.of(3));
        GradCheck.check(relu ? "batchnorm2d+relu eval" : "batchnorm2d eval", b, List.of(x),
                () -> BatchNorm2dFn.apply(b, x, gamma, beta, rm, rv, 0.1f, 1e-5f, false, relu), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void addRelu(Backend b) {
        // a's values stay >= 0.025 from zero and b moves them by at most 0.005: no kink within the step
        Variable a = GradCheck.distinctLeaf(b, "addrelu/a", 0.05f, 2, 3, 4);
        Variable c = GradCheck.leaf(b, "addrelu/b", -0.005f, 0.005f, 2, 3, 4);
        GradCheck.check("add+relu", b, List.of(a, c), () -> AddReluFn.apply(b, a, c), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void relu(Backend b) {
        Variable x = GradCheck.distinctLeaf(b, "relu/x", 0.05f, 2, 3, 4);
        GradCheck.check("relu", b, List.of(x), () -> ReluFn.apply(b, x), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void maxPool(Backend b) {
        Variable x = GradCheck.distinctLeaf(b, "maxpool/x", 0.05f, 2, 2, 5, 4);
        GradCheck.check("maxpool k2 s2", b, List.of(x), () -> MaxPool2dFn.apply(b, x, 2, 2, 0), EPS, TOL);
        GradCheck.check("maxpool k3 s2 p1 (overlapping)", b, List.of(x), () -> MaxPool2dFn.apply(b, x, 3, 2, 1), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void avgPool(Backend b) {
        Variable x = GradCheck.leaf(b, "avgpool/x", -1, 1, 2, 3, 5, 4);
        GradCheck.check("avgpool k2 s2", b, List.of(x), () -> AvgPool2dFn.apply(b, x, 2, 2, 0), EPS, TOL);
        GradCheck.check("avgpool k3 s1 p1", b, List.of(x), () -> AvgPool2dFn.apply(b, x, 3, 1, 1), EPS, TOL);
        GradCheck.check("avgpool global", b, List.of(x), () -> AvgPool2dFn.global(b, x), EPS, TOL);
        try (TensorScope s = TensorScope.open(); AutoCloseable ng = Tape.noGrad()) {
            assertEquals(Shape.of(2, 3, 1, 1), AvgPool2dFn.global(b, x).shape());
        } catch (Exception e) { throw new AssertionError(e); }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void reshapeAndFlattenAreViewsWithGradients(Backend b) {
        Variable x = GradCheck.leaf(b, "reshape/x", -1, 1, 2, 3, 2, 2);
        GradCheck.check("flatten", b, List.of(x), () -> ReshapeFn.flatten(b, x), EPS, TOL);
        // a view feeding a nonlinear op, so the handed-over view gradient is accumulated into
        GradCheck.check("reshape then mul with itself", b, List.of(x),
                () -> { Variable v = ReshapeFn.apply(b, x, Shape.of(4, 6)); return MulFn.apply(b, v, v); }, EPS, TOL);
        assertEquals(Shape.of(2, 12), ReshapeFn.flatten(b, x).shape());
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void addMulScale(Backend b) {
        Variable a = GradCheck.leaf(b, "add/a", -1, 1, 2, 3, 4);
        Variable c = GradCheck.leaf(b, "add/c", -1, 1, 2, 3, 4);
        GradCheck.check("add", b, List.of(a, c), () -> AddFn.apply(b, a, c), EPS, TOL);
        GradCheck.check("add same input twice", b, List.of(a), () -> AddFn.apply(b, a, a), EPS, TOL);
        GradCheck.check("mul", b, List.of(a, c), () -> MulFn.apply(b, a, c), EPS, TOL);
        GradCheck.check("scale", b, List.of(a), () -> ScaleFn.apply(b, a, -2.5f), EPS, TOL);
        // fan-out: one input used by two consumers whose gradients must add up
        GradCheck.check("residual fan-out", b, List.of(a, c),
                () -> AddFn.apply(b, MulFn.apply(b, a, c), ScaleFn.apply(b, a, 3f)), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void dropout(Backend b) {
        Variable x = GradCheck.leaf(b, "dropout/x", -1, 1, 4, 25);
        GradCheck.check("dropout p=0.3", b, List.of(x), () -> DropoutFn.apply(b, x, 0.3f, 99L, 7L), EPS, TOL);
        try (TensorScope s = TensorScope.open(); AutoCloseable ng = Tape.noGrad()) {
            float[] y = b.toHost(DropoutFn.apply(b, x, 0.3f, 99L, 7L).value());
            float[] xs = b.toHost(x.value());
            int kept = 0;
            for (int i = 0; i < y.length; i++) {
                if (y[i] != 0f) { kept++; assertEquals(xs[i] / 0.7f, y[i], 1e-6f); }
            }
            org.junit.jupiter.api.Assertions.assertTrue(kept > 50 && kept < 95, "kept " + kept + " of 100 at p=0.3");
        } catch (Exception e) { throw new AssertionError(e); }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void softmaxCrossEntropy(Backend b) {
        Variable logits = GradCheck.leaf(b, "ce/logits", -2, 2, 4, 5);
        Tensor labels = b.fromHost(new float[] {0, 3, 4, 1}, Shape.of(4));
        GradCheck.check("cross entropy", b, List.of(logits), () -> SoftmaxCrossEntropyFn.apply(b, logits, labels, 0f), EPS, TOL);
        GradCheck.check("cross entropy smoothing 0.1", b, List.of(logits), () -> SoftmaxCrossEntropyFn.apply(b, logits, labels, 0.1f), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void crossEntropyValueIsTheBatchMean(Backend b) {
        float[] l = OpsKit.randomFloats("ce2/logits", 3 * 4, -2, 2);
        int[] labels = {2, 0, 3};
        double expected = 0;
        for (int n = 0; n < 3; n++) {
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int c = 0; c < 4; c++) max = Math.max(max, l[n * 4 + c]);
            for (int c = 0; c < 4; c++) z += Math.exp(l[n * 4 + c] - max);
            expected += -(l[n * 4 + labels[n]] - max - Math.log(z)) / 3;
        }
        try (TensorScope s = TensorScope.open()) {
            Variable logits = Variable.constant(b.fromHost(l, Shape.of(3, 4)));
            SoftmaxCrossEntropyFn f = SoftmaxCrossEntropyFn.compute(b, logits, b.fromHost(new float[] {2, 0, 3}, Shape.of(3)), 0f);
            assertEquals(expected, f.meanLoss(), 1e-5);
            assertEquals(Shape.of(1), f.loss().shape());
            assertEquals((float) f.meanLoss(), b.toHost(f.loss().value())[0]);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void shortcutPad(Backend b) {
        Variable x = GradCheck.leaf(b, "shortcut/x", -1, 1, 2, 2, 5, 5);
        Tensor sel = ShortcutPadFn.selector(b, 2, 4);
        GradCheck.check("shortcut pad", b, List.of(x), () -> ShortcutPadFn.apply(b, x, sel, 2), EPS, TOL);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void shortcutPadIsExactlySubsampleAndChannelPad(Backend b) {
        int n = 2, c = 4, h = 7, w = 6, co = 8, pad = 2, ho = 4, wo = 3;
        float[] x = OpsKit.randomFloats("shortcut2/x", n * c * h * w, -3, 3);
        try (TensorScope s = TensorScope.open()) {
            Variable y = ShortcutPadFn.apply(b, Variable.constant(b.fromHost(x, Shape.of(n, c, h, w))), ShortcutPadFn.selector(b, c, co), 2);
            assertEquals(Shape.of(n, co, ho, wo), y.shape());
            float[] expected = new float[n * co * ho * wo];
            for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) for (int oy = 0; oy < ho; oy++) for (int ox = 0; ox < wo; ox++)
                expected[((i * co + k + pad) * ho + oy) * wo + ox] = x[((i * c + k) * h + 2 * oy) * w + 2 * ox];
            OpsKit.assertBitEqual("option-A shortcut", expected, b.toHost(y.value()));
        }
    }
}
