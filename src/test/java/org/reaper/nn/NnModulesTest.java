package org.reaper.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.backend.TestBackends;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

class NnModulesTest {
    private final Backend b = TestBackends.list().get(0);

    @Test
    void sequentialNamesChildrenByIndex() {
        Sequential s = new Sequential(b);
        s.add(new Conv2d(b, 3, 4, 3, 1, 1, true));
        s.add(new ReLU(b));
        s.add(new BatchNorm2d(b, 4));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(s.namedParameters().keySet()));
        assertEquals(List.of("2.running_mean", "2.running_var", "2.num_batches_tracked"), new ArrayList<>(s.namedBuffers().keySet()));
    }

    @Test
    void sequentialRunsABatchNormAndTheReluAfterItAsOneFunctionWithTheSameResult() {
        Sequential s = new Sequential(b);
        Conv2d conv = s.add(new Conv2d(b, 2, 3, 3, 1, 1, true));
        BatchNorm2d bn = s.add(new BatchNorm2d(b, 3));
        s.add(new ReLU(b));
        Variable x = Variable.constant(b.fromHost(OpsKit.randomFloats("seqfuse/x", 2 * 2 * 4 * 4, -1, 1), Shape.of(2, 2, 4, 4)));
        float[] fused, fusedGrad, plain, plainGrad;
        try (TensorScope scope = TensorScope.open(); Tape tape = Tape.record()) {
            Variable y = s.forward(x);
            List<String> names = tape.recorded().stream().map(f -> f.name()).toList();
            assertEquals(List.of("conv2d", "batchnorm2d+relu"), names);
            fused = b.toHost(y.value());
            tape.backward(b, y, b.fromHost(OpsKit.randomFloats("seqfuse/dy", y.value().numel(), -1, 1), y.shape()));
            fusedGrad = b.toHost(conv.weight().grad());
        }
        s.zeroGrad();
        try (TensorScope scope = TensorScope.open(); Tape tape = Tape.record()) {
            Variable y = new ReLU(b).forward(bn.forward(conv.forward(x)));
            plain = b.toHost(y.value());
            tape.backward(b, y, b.fromHost(OpsKit.randomFloats("seqfuse/dy", y.value().numel(), -1, 1), y.shape()));
            plainGrad = b.toHost(conv.weight().grad());
        }
        OpsKit.assertBitEqual("output", plain, fused);
        OpsKit.assertBitEqual("conv weight gradient", plainGrad, fusedGrad);
        assertTrue(java.util.stream.IntStream.range(0, fused.length).anyMatch(i -> fused[i] == 0f), "no output was clamped: the test would not see the ReLU");
    }

    @Test
    void batchNormTracksBatchesAndRunningStatsOnlyInTraining() {
        BatchNorm2d bn = new BatchNorm2d(b, 2);
        Tensor x = b.fromHost(OpsKit.randomFloats("bnmod/x", 4 * 2 * 3 * 3, 1, 3), Shape.of(4, 2, 3, 3));
        try (TensorScope s = TensorScope.open()) {
            bn.forward(Variable.constant(x));
            bn.forward(Variable.constant(x));
        }
        assertEquals(2f, b.toHost(bn.numBatchesTracked())[0]);
        float[] mean = b.toHost(bn.runningMean());
        assertTrue(mean[0] > 0.3f && mean[0] < 0.5f, "running mean after two momentum-0.1 updates of a ~2 mean: " + mean[0]);
        bn.train(false);
        try (TensorScope s = TensorScope.open()) { bn.forward(Variable.constant(x)); }
        assertEquals(2f, b.toHost(bn.numBatchesTracked())[0]);
        OpsKit.assertBitEqual("eval leaves running mean", mean, b.toHost(bn.runningMean()));
    }

    @Test
    void dropoutIsIdentityInEvalAndDrawsFreshMasksInTraining() throws Exception {
        RandomStream rng = new RandomStream(5);
        Dropout d = new Dropout(b, 0.5f, rng);
        Variable x = Variable.constant(b.fromHost(OpsKit.randomFloats("drop/x", 64, 1, 2), Shape.of(64)));
        try (TensorScope s = TensorScope.open(); AutoCloseable ng = Tape.noGrad()) {
            float[] a = b.toHost(d.forward(x).value()), c = b.toHost(d.forward(x).value());
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c), "two training forwards drew the same mask");
            assertTrue(rng.offset() > 0);
            d.train(false);
            assertSame(x, d.forward(x));
        }
        assertThrows(IllegalArgumentException.class, () -> new Dropout(b, 1f, rng));
    }

    @Test
    void pytorchDefaultInitIsUniformWithinOneOverSqrtFanIn() {
        Conv2d c = new Conv2d(b, 16, 32, 3, 1, 1, true);
        Init.initialize(c, InitScheme.PYTORCH_DEFAULT, new RandomStream(9));
        float bound = (float) (1 / Math.sqrt(16 * 9));
        float[] w = b.toHost(c.weight().value());
        double max = 0, sumSq = 0;
        for (float v : w) { max = Math.max(max, Math.abs(v)); sumSq += v * v; }
        assertTrue(max <= bound && max > 0.98 * bound, "max |w| " + max + " vs bound " + bound);
        assertEquals(bound / Math.sqrt(3), Math.sqrt(sumSq / w.length), 0.03 * bound, "std of U(-b, b) is b/sqrt(3)");
        for (float v : b.toHost(c.bias().value())) assertTrue(Math.abs(v) <= bound && v != 0f);
    }

    @Test
    void heNormalInitUsesFanOutAndZeroBias() {
        Conv2d c = new Conv2d(b, 8, 64, 3, 1, 1, true);
        Init.initialize(c, InitScheme.HE_NORMAL, new RandomStream(9));
        float[] w = b.toHost(c.weight().value());
        double sum = 0, sumSq = 0;
        for (float v : w) { sum += v; sumSq += v * v; }
        double std = Math.sqrt(sumSq / w.length - Math.pow(sum / w.length, 2));
        assertEquals(Math.sqrt(2.0 / (64 * 9)), std, 0.05 * Math.sqrt(2.0 / (64 * 9)));
        for (float v : b.toHost(c.bias().value())) assertEquals(0f, v);
        assertEquals(InitScheme.HE_NORMAL, InitScheme.parse("he_normal"));
        assertThrows(ReaperException.class, () -> InitScheme.parse("xavier"));
    }

    @Test
    void sameSeedInitialisesIdenticallyOnEveryBackendAndOtherSeedsDiffer() {
        List<float[]> firsts = new ArrayList<>();
        for (Backend be : TestBackends.list()) {
            Model m = Models.create("resnet20", be, new RandomStream(11), 10, InitScheme.PYTORCH_DEFAULT);
            firsts.add(be.toHost(m.namedParameters().get("layer3.2.conv2.weight").value()));
        }
        for (float[] f : firsts) OpsKit.assertBitEqual("layer3.2.conv2.weight", firsts.get(0), f);
        Model other = Models.create("resnet20", b, new RandomStream(12), 10, InitScheme.PYTORCH_DEFAULT);
        assertNotEquals(firsts.get(0)[0], b.toHost(other.namedParameters().get("layer3.2.conv2.weight").value())[0]);
    }
}
