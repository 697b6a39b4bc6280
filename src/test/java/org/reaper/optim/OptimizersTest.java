package org.reaper.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.nn.Parameter;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Sgd and Adam against hand-written double references over several steps, plus state handling. */
class OptimizersTest {
    private static final int ROWS = 3, COLS = 4, N = ROWS * COLS, STEPS = 4;

    private static Parameter param(Backend b, String label) {
        return new Parameter(b.fromHost(OpsKit.randomFloats(label, N, -1, 1), Shape.of(ROWS, COLS)));
    }

    private static float[] grad(String label, int step) { return OpsKit.randomFloats(label + "/g" + step, N, -1, 1); }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void sgdMatchesReference(Backend b) {
        for (boolean nesterov : new boolean[] {false, true}) {
            float lr = 0.1f, mom = 0.9f, damp = nesterov ? 0f : 0.1f, wd = 0.01f;
            Parameter p = param(b, "sgd/p");
            double[] ref = OpsKit.toDouble(b.toHost(p.value())), buf = new double[N];
            Sgd opt = new Sgd(b, Map.of("w", p), lr, mom, damp, wd, nesterov);
            for (int t = 0; t < STEPS; t++) {
                float[] g = grad("sgd", t);
                try (TensorScope s = TensorScope.open()) {
                    p.setGrad(b.fromHost(g, p.shape()));
                    opt.step();
                    p.clearGrad();
                }
                for (int i = 0; i < N; i++) {
                    double gi = g[i] + wd * ref[i];
                    buf[i] = t == 0 ? gi : mom * buf[i] + (1 - damp) * gi;
                    ref[i] -= lr * (nesterov ? gi + mom * buf[i] : buf[i]);
                }
            }
            OpsKit.assertClose("sgd nesterov=" + nesterov, ref, b, p.value(), 1e-5);
            OpsKit.assertClose("sgd momentum buffer", buf, b, opt.momentumBuffer(p), 1e-5);
            assertEquals(STEPS, opt.stepCount());
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void adamAndAdamWMatchReference(Backend b) {
        for (boolean decoupled : new boolean[] {false, true}) {
            float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.1f;
            Parameter p = param(b, "adam/p");
            double[] ref = OpsKit.toDouble(b.toHost(p.value())), m = new double[N], v = new double[N];
            Adam opt = new Adam(b, Map.of("w", p), lr, b1, b2, eps, wd, decoupled);
            for (int t = 1; t <= STEPS; t++) {
                float[] g = grad("adam", t);
                try (TensorScope s = TensorScope.open()) {
                    p.setGrad(b.fromHost(g, p.shape()));
                    opt.step();
                    p.clearGrad();
                }
                for (int i = 0; i < N; i++) {
                    double gi = g[i];
                    if (decoupled) ref[i] *= 1 - lr * wd; else gi += wd * ref[i];
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    double mh = m[i] / (1 - Math.pow(b1, t)), vh = v[i] / (1 - Math.pow(b2, t));
                    ref[i] -= lr * mh / (Math.sqrt(vh) + eps);
                }
            }
            OpsKit.assertClose("adam decoupled=" + decoupled, ref, b, p.value(), 1e-5);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void parametersWithoutGradientsAreSkipped(Backend b) {
        Parameter used = param(b, "skip/a"), unused = param(b, "skip/b");
        float[] before = b.toHost(unused.value());
        Map<String, Parameter> ps = new LinkedHashMap<>();
        ps.put("a", used); ps.put("b", unused);
        for (Optimizer opt : new Optimizer[] {new Sgd(b, ps, 0.1f, 0.9f, 0f), new Adam(b, ps, 0.1f)}) {
            try (TensorScope s = TensorScope.open()) {
                used.setGrad(b.fromHost(grad("skip", 0), used.shape()));
                opt.step();
                used.clearGrad();
            }
            OpsKit.assertBitEqual("untouched parameter", before, b.toHost(unused.value()));
            assertTrue(opt.stateDict().keySet().stream().allMatch(k -> k.startsWith("optim.a.")), opt.stateDict().keySet().toString());
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void scaleStateRowsZeroesExactlyTheChosenRows(Backend b) {
        Parameter p = param(b, "rows/p");
        Sgd sgd = new Sgd(b, Map.of("features.0.weight", p), 0.1f, 0.9f, 0f);
        Adam adam = new Adam(b, Map.of("features.0.weight", p), 0.1f);
        for (Optimizer opt : new Optimizer[] {sgd, adam}) {
            try (TensorScope s = TensorScope.open()) {
                p.setGrad(b.fromHost(grad("rows", 0), p.shape()));
                opt.step();
                p.clearGrad();
                Map<String, Tensor> state = opt.stateDict();
                Map<String, float[]> before = new LinkedHashMap<>();
                for (var e : state.entrySet()) before.put(e.getKey(), b.toHost(e.getValue()));
                opt.scaleStateRows(p, b.fromHost(new float[] {1f, 0f, 1f}, Shape.of(ROWS)));
                int checked = 0;
                for (var e : opt.stateDict().entrySet()) {
                    if (e.getKey().endsWith(".step")) continue;
                    float[] was = before.get(e.getKey()), now = b.toHost(e.getValue());
                    for (int i = 0; i < N; i++) {
                        int row = i / COLS;
                        if (row == 1) assertTrue(now[i] == 0f, e.getKey() + "[" + i + "] = " + now[i]);
                        else assertEquals(was[i], now[i], e.getKey() + "[" + i + "]");
                        if (row != 1) assertTrue(was[i] != 0f, "state should be non-zero before the reset");
                    }
                    checked++;
                }
                assertEquals(opt == sgd ? 1 : 2, checked);
            }
        }
        assertEquals(Set.of("optim.features.0.weight.momentum_buffer"), sgd.stateDict().keySet());
        try (TensorScope s = TensorScope.open()) {
            assertEquals(Set.of("optim.features.0.weight.exp_avg", "optim.features.0.weight.exp_avg_sq", "optim.features.0.weight.step"),
                    adam.stateDict().keySet());
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void stateDictRoundTripContinuesIdentically(Backend b) {
        Parameter p1 = param(b, "rt/p"), p2 = param(b, "rt/p");
        Adam a1 = new Adam(b, Map.of("w", p1), 0.01f), a2 = new Adam(b, Map.of("w", p2), 0.01f);
        for (int t = 0; t < 3; t++) step(b, a1, p1, grad("rt", t));
        step(b, a2, p2, grad("rt", 0)); step(b, a2, p2, grad("rt", 1)); step(b, a2, p2, grad("rt", 2));
        Parameter p3 = new Parameter(b.fromHost(b.toHost(p1.value()), p1.shape()));
        Adam a3 = new Adam(b, Map.of("w", p3), 0.01f);
        try (TensorScope s = TensorScope.open()) { a3.loadStateDict(a1.stateDict(), a1.stepCount()); }
        step(b, a1, p1, grad("rt", 3));
        step(b, a3, p3, grad("rt", 3));
        OpsKit.assertBitEqual("resumed adam", b.toHost(p1.value()), b.toHost(p3.value()));
        assertEquals(4, a3.stepCount());

        Sgd bad = new Sgd(b, Map.of("w", new Parameter(b.zeros(Shape.of(2, 2)))), 0.1f, 0.9f, 0f);
        Map<String, Tensor> wrong = Map.of("optim.w.momentum_buffer", b.zeros(Shape.of(3)));
        assertThrows(ReaperException.class, () -> bad.loadStateDict(wrong, 1));
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void momentumBufferOutlivesTheStepScope(Backend b) {
        Parameter p = param(b, "persist/p");
        Sgd opt = new Sgd(b, Map.of("w", p), 0.1f, 0.9f, 0f);
        step(b, opt, p, grad("persist", 0));
        float[] buf = b.toHost(opt.momentumBuffer(p));
        try (TensorScope s = TensorScope.open()) {
            Tensor junk = b.empty(p.shape());
            b.fill(junk, Float.NaN);
            OpsKit.assertBitEqual("momentum buffer after the scope closed", buf, b.toHost(opt.momentumBuffer(p)));
        }
        assertNotNull(opt.momentumBuffer(p));
        assertNull(new Sgd(b, Map.of("w", p), 0.1f, 0.9f, 0f).momentumBuffer(p));
    }

    private static void step(Backend b, Optimizer opt, Parameter p, float[] g) {
        try (TensorScope s = TensorScope.open()) {
            p.setGrad(b.fromHost(g, p.shape()));
            opt.step();
            p.clearGrad();
        }
    }
}
