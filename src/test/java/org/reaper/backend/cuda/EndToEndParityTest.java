package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.SoftmaxCrossEntropyFn;
import org.reaper.backend.Backend;
import org.reaper.backend.TestBackends;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Parameter;
import org.reaper.optim.Sgd;
import org.reaper.rng.Philox;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * The models the paper's experiments use, trained a few SGD steps from the same seed on the CPU
 * backend and on CUDA (a GPU, or the CPU stand-in in CI), exactly as the Trainer steps: batch
 * upload, forward, loss, accuracy count, backward, fused SGD-momentum step.
 *
 * Tolerance: the initial weights come from the same Philox streams and must be bit-identical. After
 * that the backends sum in different orders (the CPU's vector lanes and thread blocks against the
 * GPU's 64x64 tiles with fmaf and split-k), so each conv / GEMM output differs by a few float32
 * rounding steps, about 1e-6 relative. Three steps at lr 0.05 move weights by ~1e-2 and carry those
 * differences along without amplifying them much, so losses must agree to 1e-4 relative and every
 * weight to 1e-4 of the layer's largest weight; a wrong kernel (a missed bias, a transposed index, a
 * dropped tile edge) is off by orders of magnitude more.
 *
 * On the stand-in it also checks, with the driver's counters, that a training step moves nothing
 * between host and device but the batch upload and a few scalars, and that the backend counts its own
 * launches as the driver does (what bench reports as launches a step on a GPU).
 */
class EndToEndParityTest {
    private static final int BATCH = 2, STEPS = 3;
    private static Backend cuda;

    @BeforeAll
    static void open() { cuda = TestBackends.cuda(); }

    @BeforeEach
    void requireCuda() { Assumptions.assumeTrue(cuda != null, "no CUDA backend (GPU or stand-in) is usable here"); }

    record Run(double[] losses, int[] correct, Map<String, float[]> initial, Map<String, float[]> weights, List<CudaEmulator.Counters> perStep,
               List<Long> launchesCounted) {}

    static Run train(Backend b, String model) {
        RandomStream rng = new RandomStream(2024);
        Model m = Models.create(model, b, rng.fork(1), 10, InitScheme.PYTORCH_DEFAULT);
        Map<String, float[]> initial = snapshot(b, m);
        RandomStream data = rng.fork(2);
        float[] images = new float[BATCH * 3 * 32 * 32];
        for (int i = 0; i < images.length; i++) images[i] = Philox.normal(data.seed(), 0, i);
        float[] labels = new float[BATCH];
        for (int i = 0; i < BATCH; i++) labels[i] = (i * 3 + 1) % 10;
        Sgd opt = new Sgd(b, m.namedParameters(), 0.05f, 0.9f, 5e-4f);
        double[] losses = new double[STEPS];
        int[] correct = new int[STEPS];
        List<CudaEmulator.Counters> perStep = new ArrayList<>();
        List<Long> launchesCounted = new ArrayList<>();
        boolean counting = b instanceof CudaBackend cb && cb.emulated();
        for (int step = 0; step < STEPS; step++) {
            CudaEmulator.Counters before = counting ? CudaEmulator.readCounters() : null;
            long launchedBefore = b instanceof CudaBackend cb ? cb.kernelLaunches() : 0;
            try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
                Tensor x = b.fromHost(images, Shape.of(BATCH, 3, 32, 32));
                Tensor y = b.fromHost(labels, Shape.of(BATCH));
                Variable logits = m.forward(Variable.constant(x));
                SoftmaxCrossEntropyFn ce = SoftmaxCrossEntropyFn.compute(b, logits, y, 0f);
                losses[step] = ce.meanLoss();
                correct[step] = b.countCorrect(logits.value(), y);
                tape.backward(b, ce.loss());
                opt.step();
            } finally {
                m.zeroGrad();
            }
            if (counting) perStep.add(CudaEmulator.readCounters().minus(before));
            if (b instanceof CudaBackend cb) launchesCounted.add(cb.kernelLaunches() - launchedBefore);
        }
        return new Run(losses, correct, initial, snapshot(b, m), perStep, launchesCounted);
    }

    private static Map<String, float[]> snapshot(Backend b, Model m) {
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) w.put(e.getKey(), b.toHost(e.getValue().value()));
        return w;
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3-32", "c3-32-pool", "resnet20"})
    void aFewSgdStepsAgreeWithTheCpu(String model) {
        Run cpu = train(new CpuBackend(2), model), dev = train(cuda, model);
        for (String name : cpu.initial().keySet())
            assertEquals(0, java.util.Arrays.compare(cpu.initial().get(name), dev.initial().get(name)),
                    model + " " + name + ": initial weights differ (Philox streams must be bit-identical)");
        for (int s = 0; s < STEPS; s++) {
            assertEquals(cpu.losses()[s], dev.losses()[s], 1e-4 * Math.abs(cpu.losses()[s]), model + " loss of step " + s);
            assertEquals(cpu.correct()[s], dev.correct()[s], model + " correct count of step " + s);
        }
        assertTrue(cpu.losses()[STEPS - 1] < cpu.losses()[0], model + " did not learn: " + java.util.Arrays.toString(cpu.losses()));
        for (String name : cpu.weights().keySet()) {
            float[] a = cpu.weights().get(name), g = dev.weights().get(name);
            double scale = 1e-6;
            for (float v : a) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < a.length; i++)
                assertTrue(Math.abs(a[i] - g[i]) <= 1e-4 * scale, model + " " + name + "[" + i + "] after " + STEPS + " steps: cpu " + a[i] + ", cuda " + g[i]);
        }
        if (!dev.perStep().isEmpty()) {
            long batchBytes = (long) Float.BYTES * (BATCH * 3 * 32 * 32 + BATCH);
            for (int s = 0; s < STEPS; s++) {
                CudaEmulator.Counters c = dev.perStep().get(s);
                // SGD updates the whole parameter list in one launch from a table of pointers and flags on the device: it goes
                // up with the first step and when the first-step flags change, then only when the gradients' blocks change
                long table = (long) Long.BYTES * 5 * dev.initial().size();
                if (s == STEPS - 1) assertEquals(batchBytes, c.bytesHostToDevice(), model + " step " + s + ": only the batch goes to the device");
                else assertTrue(c.bytesHostToDevice() >= batchBytes && c.bytesHostToDevice() <= batchBytes + table,
                        model + " step " + s + ": the batch and at most the SGD table go to the device, not " + c.bytesHostToDevice() + " bytes");
                assertTrue(c.bytesDeviceToHost() <= 16, model + " step " + s + ": only the loss and the correct count come back, not "
                        + c.bytesDeviceToHost() + " bytes");
                assertTrue(c.launches() > 10, model + " step " + s + ": " + c.launches() + " launches");
                assertEquals(c.launches(), dev.launchesCounted().get(s), model + " step " + s
                        + ": the backend's own launch count (what bench reports on a GPU) must match the driver's");
            }
            assertEquals(0, dev.perStep().get(STEPS - 1).allocations(), model + ": the memory pool serves the steady state without cuMemAlloc");
        }
    }
}
