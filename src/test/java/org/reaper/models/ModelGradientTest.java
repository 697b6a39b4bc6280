package org.reaper.models;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AvgPool2dFn;
import org.reaper.autograd.ops.ReluFn;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.autograd.ops.GradCheck;
import org.reaper.autograd.ops.SoftmaxCrossEntropyFn;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.backend.TestBackends;
import org.reaper.nn.BasicBlock;
import org.reaper.nn.BatchNorm2d;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Init;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Linear;
import org.reaper.nn.Module;
import org.reaper.nn.Parameter;
import org.reaper.nn.PrunableConv;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Whole-model finite-difference checks: every parameter gradient of two tiny networks on 2 images of
 * 8x8, on the CPU backend and on CUDA (a GPU, or the CPU stand-in in CI).
 */
class ModelGradientTest {
    static java.util.stream.Stream<Backend> backends() {
        Backend cuda = TestBackends.cuda();
        return cuda == null ? java.util.stream.Stream.of(TestBackends.list().get(0)) : java.util.stream.Stream.of(TestBackends.list().get(0), cuda);
    }

    @org.junit.jupiter.params.ParameterizedTest(autoCloseArguments = false)
    @org.junit.jupiter.params.provider.MethodSource("backends")
    void tinyVanillaConvNetWithBatchNormAndPooling(Backend b) {
        VanillaConvNet m = new VanillaConvNet(b, "c2-4-pool-bn", 3, 8, 2, 4, true, true, 5);
        Init.initialize(m, InitScheme.PYTORCH_DEFAULT, new RandomStream(3));
        checkModel(b, "vanilla", m);
    }

    @org.junit.jupiter.params.ParameterizedTest(autoCloseArguments = false)
    @org.junit.jupiter.params.provider.MethodSource("backends")
    void tinyResNetWithOptionAShortcut(Backend b) {
        Model m = new TinyResNet(b);
        Init.initialize(m, InitScheme.HE_NORMAL, new RandomStream(4));
        checkModel(b, "tiny resnet", m);
    }

    private void checkModel(Backend b, String what, Module m) {
        Tensor x = b.fromHost(OpsKit.randomFloats(what + "/x", 2 * 3 * 8 * 8, -1, 1), Shape.of(2, 3, 8, 8));
        Tensor labels = b.fromHost(new float[] {1, 3}, Shape.of(2));
        Map<String, Parameter> ps = m.namedParameters();
        m.zeroGrad();
        float[][] analytic = new float[ps.size()][];
        try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
            tape.backward(b, SoftmaxCrossEntropyFn.apply(b, m.forward(Variable.constant(x)), labels, 0f));
            int k = 0;
            for (var e : ps.entrySet()) {
                assertNotNull(e.getValue().grad(), what + ": no gradient for " + e.getKey());
                analytic[k++] = b.toHost(e.getValue().grad());
            }
        }
        m.zeroGrad();
        // small enough that ReLU / max-pool kinks are rarely crossed, large enough for float32 forwards
        float eps = 5e-4f;
        int k = 0;
        for (var e : ps.entrySet()) {
            double[] numeric = GradCheck.numericGradient(b, e.getValue().value(), eps, () -> loss(b, m, x, labels), sample(b, e.getKey(), analytic[k].length));
            double num2 = 0, err2 = 0, maxErr = 0, maxNum = 0;
            for (int i = 0; i < numeric.length; i++) {
                if (Double.isNaN(numeric[i])) continue;   // not sampled
                double d = analytic[k][i] - numeric[i];
                num2 += numeric[i] * numeric[i]; err2 += d * d;
                maxErr = Math.max(maxErr, Math.abs(d)); maxNum = Math.max(maxNum, Math.abs(numeric[i]));
            }
            // floor 0.1: a conv bias feeding batch norm has a true gradient of zero, where only noise is left
            double rel = Math.sqrt(err2) / Math.max(Math.sqrt(num2), 0.1);
            assertTrue(rel < 1e-2, what + " " + e.getKey() + ": relative L2 error " + rel);
            assertTrue(maxErr <= 2e-2 * Math.max(maxNum, 0.05), what + " " + e.getKey() + ": max error " + maxErr + " vs max |grad| " + maxNum);
            k++;
        }
    }

    /**
     * Every element on the CPU; on CUDA (the stand-in runs kernels ~100x slower) 12 elements per
     * parameter tensor, drawn with a fixed seed, so every parameter's gradient is still checked.
     */
    private static int[] sample(Backend b, String name, int n) {
        if (b instanceof org.reaper.backend.cpu.CpuBackend || n <= 12) return null;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        new RandomStream(OpsKit.seed(name)).shuffle(all);
        return java.util.Arrays.copyOf(all, 12);
    }

    private double loss(Backend b, Module m, Tensor x, Tensor labels) {
        try (TensorScope s = TensorScope.open(); AutoCloseable ng = Tape.noGrad()) {
            return SoftmaxCrossEntropyFn.compute(b, m.forward(Variable.constant(x)), labels, 0f).meanLoss();
        } catch (Exception e) { throw new IllegalStateException(e); }
    }

    /** conv(3->4) -> bn -> relu -> block(4->8, stride 2, option A) -> block(8->8) -> global avg -> fc. */
    static final class TinyResNet extends Model {
        private final Conv2d conv1;
        private final BatchNorm2d bn1;
        private final BasicBlock block1, block2;
        private final Linear fc;

        TinyResNet(Backend b) {
            super(b, "tiny-resnet");
            conv1 = registerModule("conv1", new Conv2d(b, 3, 4, 3, 1, 1, false));
            bn1 = registerModule("bn1", new BatchNorm2d(b, 4));
            block1 = registerModule("block1", new BasicBlock(b, 4, 8, 2));
            block2 = registerModule("block2", new BasicBlock(b, 8, 8, 1));
            fc = registerModule("fc", new Linear(b, 8, 5));
        }

        @Override public Variable forward(Variable x) {
            Variable out = ReluFn.apply(backend, bn1.forward(conv1.forward(x)));
            out = block2.forward(block1.forward(out));
            return fc.forward(ReshapeFn.flatten(backend, AvgPool2dFn.global(backend, out)));
        }

        @Override public List<PrunableConv> prunableConvs() { return List.of(); }
    }
}
