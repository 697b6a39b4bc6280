package org.reaper.backend;

import static org.reaper.backend.OpsKit.*;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaEmulator;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Fused SGD and Adam/AdamW over several steps against PyTorch-semantics scalar references; SGD over a whole
 * parameter list (one launch on a GPU) against the same updates one tensor at a time.
 */
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

    /**
     * Tensor sizes: odd ones, a scalar, and 1.4 M in all, the largest first, so that a GPU-sized grid (132 SMs x 32
     * blocks x 256 threads) strides twice and its second pass crosses tensor boundaries (the kernel walks forward there).
     */
    private static final int[] SIZES = {1_100_003, 1037, 1, 27, 4096, 5, 300_001};

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void sgdOverAListGivesTheSameFloatsAsOneTensorAtATime(Backend b) {
        Sgd[] configs = {new Sgd(0.1f, 0f, 0f, 0f, false), new Sgd(0.01f, 0.9f, 0f, 5e-4f, true), new Sgd(0.02f, 0.8f, 0.3f, 1e-3f, false)};
        for (Sgd cfg : configs) try (TensorScope scope = TensorScope.open()) {
            boolean mom = cfg.momentum() != 0;
            List<Tensor> pl = new ArrayList<>(), gl = new ArrayList<>(), bl = mom ? new ArrayList<>() : null;
            List<Tensor> po = new ArrayList<>(), go = new ArrayList<>(), bo = new ArrayList<>();
            for (int t = 0; t < SIZES.length; t++) {
                float[] p0 = randomFloats("sgd-list-p" + cfg + t, SIZES[t], -1, 1);
                pl.add(upload(b, p0, SIZES[t]));
                po.add(upload(b, p0, SIZES[t]));
                gl.add(b.empty(pl.get(t).shape()));
                go.add(b.empty(pl.get(t).shape()));
                if (mom) { bl.add(poisoned(b, SIZES[t])); bo.add(poisoned(b, SIZES[t])); }
            }
            for (int step = 0; step < 3; step++) {
                boolean[] first = new boolean[SIZES.length];
                // tensor 2 gets its first update one step late (a parameter whose gradient appeared later)
                for (int t = 0; t < SIZES.length; t++) first[t] = t == 2 ? step == 1 : step == 0;
                List<Tensor> ps = new ArrayList<>(), gs = new ArrayList<>(), bs = mom ? new ArrayList<>() : null;
                List<Boolean> fs = new ArrayList<>();
                for (int t = 0; t < SIZES.length; t++) {
                    float[] grad = randomFloats("sgd-list-g" + cfg + step + "/" + t, SIZES[t], -1, 1);
                    b.upload(grad, gl.get(t));
                    b.upload(grad, go.get(t));
                    if (t == 2 && step == 0) continue;   // no gradient yet
                    ps.add(pl.get(t)); gs.add(gl.get(t)); if (mom) bs.add(bl.get(t)); fs.add(first[t]);
                    b.sgdStep(po.get(t), go.get(t), mom ? bo.get(t) : null, cfg.lr(), cfg.momentum(), cfg.dampening(), cfg.wd(), cfg.nesterov(), first[t]);
                }
                boolean[] f = new boolean[fs.size()];
                for (int i = 0; i < f.length; i++) f[i] = fs.get(i);
                b.sgdSteps(ps, gs, bs, f, cfg.lr(), cfg.momentum(), cfg.dampening(), cfg.wd(), cfg.nesterov());
                for (int t = 0; t < SIZES.length; t++) {
                    assertArrayEquals(b.toHost(po.get(t)), b.toHost(pl.get(t)), cfg + " step " + step + ": tensor " + t + " (" + SIZES[t] + " floats)");
                    if (mom) assertArrayEquals(b.toHost(bo.get(t)), b.toHost(bl.get(t)), cfg + " step " + step + ": momentum of tensor " + t);
                }
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void sgdListsThatDoNotLineUpAreRefused(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor p = b.zeros(org.reaper.tensor.Shape.of(4)), g = b.zeros(p.shape());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.sgdSteps(List.of(p, p), List.of(g), null, new boolean[2], 0.1f, 0f, 0f, 0f, false));
            assertEquals(true, e.getMessage().contains("2 params but 1 grads"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.sgdSteps(List.of(p), List.of(g), null, new boolean[1], 0.1f, 0.9f, 0f, 0f, false));
            assertEquals(true, e.getMessage().contains("needs the momentum buffers"), e.getMessage());
        }
    }

    /** On a CUDA device the list is one launch, and a list it already holds uploads nothing (checked by the stand-in's counters). */
    @Test
    void aCudaSgdListIsOneLaunchAndARecurringListUploadsNothing() {
        Backend b = TestBackends.cuda();
        org.junit.jupiter.api.Assumptions.assumeTrue(b instanceof CudaBackend, "no CUDA backend (GPU or stand-in) is usable here");
        CudaBackend cuda = (CudaBackend) b;
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> ps = new ArrayList<>(), gs = new ArrayList<>(), bs = new ArrayList<>();
            for (int n : SIZES) {
                ps.add(upload(b, randomFloats("list-launch-p" + n, n, -1, 1), n));
                gs.add(upload(b, randomFloats("list-launch-g" + n, n, -1, 1), n));
                bs.add(b.zeros(org.reaper.tensor.Shape.of(n)));
            }
            boolean[] first = new boolean[SIZES.length];
            Arrays.fill(first, true);
            b.sgdSteps(ps, gs, bs, first, 0.1f, 0.9f, 0f, 0f, false);
            Arrays.fill(first, false);
            b.sgdSteps(ps, gs, bs, first, 0.1f, 0.9f, 0f, 0f, false);   // the flags changed: the integers go up again
            b.synchronize();
            long launches = cuda.kernelLaunches();
            CudaEmulator.Counters before = cuda.emulated() ? CudaEmulator.readCounters() : null;
            b.sgdSteps(ps, gs, bs, first, 0.1f, 0.9f, 0f, 0f, false);
            b.synchronize();
            assertEquals(1, cuda.kernelLaunches() - launches, "one launch for " + SIZES.length + " tensors");
            if (before != null)
                assertEquals(0, CudaEmulator.readCounters().minus(before).bytesHostToDevice(), "the same list again: nothing to upload");
        }
    }
}
