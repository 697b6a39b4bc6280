package org.reaper.backend;

import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Fused SGD and Adam/AdamW over several steps against PyTorch-semantics scalar references. */
class OptimKernelsTest {
    private static final int N = 1037, STEPS = 5;

    /** lr, momentum, dampening, weight decay, nesterov. */
    private record Sgd(float lr, float momentum, float dampening, float wd, boolean nesterov) {}

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void sgdMatchesTorchSemanticsOverSeveralSteps(Backend b) {
        Sgd[] configs = {
                new Sgd(0.1f, 0f, 0f, 0f, false),        // plain
                new Sgd(0.05f, 0f, 0f, 5e-4f, false),    // weight decay, no momentum
                new Sgd(0.01f, 0.9f, 0f, 0f, false),     // momentum
                new Sgd(0.01f, 0.9f, 0f, 5e-4f, true),   // nesterov + weight decay
                new Sgd(0.02f, 0.8f, 0.3f, 1e-3f, false) // dampening
        };
        for (Sgd cfg : configs) try (TensorScope scope = TensorScope.open()) {
            float[] p0 = randomFloats("sgd-p" + cfg, N, -1, 1);
            Tensor p = upload(b, p0, N), g = b.empty(p.shape());
            Tensor buf = cfg.momentum() != 0 ? poisoned(b, N) : null; // the first step must overwrite the buffer
            double[] rp = toDouble(p0), rbuf = new double[N];
            for (int step = 0; step < STEPS; step++) {
                float[] grad = randomFloats("sgd-g" + cfg + step, N, -1, 1);
                b.upload(grad, g);
                b.sgdStep(p, g, buf, cfg.lr(), cfg.momentum(), cfg.dampening(), cfg.wd(), cfg.nesterov(), step == 0);
                RefOps.sgdStep(rp, toDouble(grad), rbuf, cfg.lr(), cfg.momentum(), cfg.dampening(), cfg.wd(), cfg.nesterov(), step == 0);
                assertClose("sgd param " + cfg + " step " + step, rp, b, p, 1e-5);
                if (buf != null) assertClose("sgd momentum buffer " + cfg + " step " + step, rbuf, b, buf, 1e-5);
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void adamAndAdamWMatchTorchSemanticsOverSeveralSteps(Backend b) {
        for (boolean decoupled : new boolean[] {false, true}) for (float wd : new float[] {0f, 0.01f}) try (TensorScope scope = TensorScope.open()) {
            String tag = (decoupled ? "adamw" : "adam") + " wd=" + wd;
            float lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
            float[] p0 = randomFloats("adam-p" + tag, N, -1, 1);
            Tensor p = upload(b, p0, N), g = b.empty(p.shape()), m = b.zeros(p.shape()), v = b.zeros(p.shape());
            double[] rp = toDouble(p0), rm = new double[N], rv = new double[N];
            for (int step = 1; step <= STEPS; step++) {
                float[] grad = randomFloats("adam-g" + tag + step, N, -1, 1);
                b.upload(grad, g);
                b.adamStep(p, g, m, v, lr, b1, b2, eps, wd, decoupled, step);
                RefOps.adamStep(rp, toDouble(grad), rm, rv, lr, b1, b2, eps, wd, decoupled, step);
                assertClose(tag + " param step " + step, rp, b, p, 1e-5);
                assertClose(tag + " m step " + step, rm, b, m, 1e-5);
                assertClose(tag + " v step " + step, rv, b, v, 1e-5);
            }
        }
    }
}
