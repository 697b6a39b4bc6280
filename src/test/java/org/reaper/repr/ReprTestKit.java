package org.reaper.repr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.nn.Persistent;
import org.reaper.rng.Philox;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.train.RunConfig;
import org.reaper.train.RunFactory;
import org.reaper.train.TrainSetup;
import org.reaper.train.Trainer;

/** Shared helpers of the RePr tests: a float64 ortho reference, random weights, a tiny synthetic run. */
final class ReprTestKit {
    private ReprTestKit() {}

    static final Backend CPU = new CpuBackend(2);

    /** The float64 reference of every ortho variant. */
    static double[] orthoReference(float[] w, int j, OrthoOptions o) {
        int d = w.length / j;
        double[][] r = new double[j][d];
        double frob = 0;
        for (int f = 0; f < j; f++) for (int k = 0; k < d; k++) { r[f][k] = w[f * d + k]; frob += r[f][k] * r[f][k]; }
        frob = Math.sqrt(frob);
        for (int f = 0; f < j; f++) {
            double n = 0;
            for (double v : r[f]) n += v * v;
            n = o.normalization() == OrthoOptions.Normalization.PER_FILTER ? Math.sqrt(n) : frob;
            for (int k = 0; k < d; k++) r[f][k] = n == 0 ? 0 : r[f][k] / n;
        }
        double[] s = new double[j];
        for (int f = 0; f < j; f++) {
            double acc = 0;
            for (int g = 0; g < j; g++) {
                if (g == f) continue;
                double dot = 0;
                for (int k = 0; k < d; k++) dot += r[f][k] * r[g][k];
                acc += o.absPerElement() ? Math.abs(dot) : dot;
            }
            s[f] = o.absPerElement() ? acc / j : Math.abs(acc / j);
        }
        return s;
    }

    /** Three epochs of the resume tests' small BN net, with RePr's schedule when {@code repr} is given. */
    static org.reaper.train.RunConfig threeEpochs(ReprOptions repr) {
        org.reaper.train.RunConfig c = org.reaper.train.ResumeTest.config();
        c.model = "c2-8-pool-bn";
        c.epochs = 3;
        if (repr != null) c.repr = repr.effective();
        return c;
    }

    /** Trains {@code run} on a fresh 2-thread CPU backend without printing, with the RePr listener when {@code repr} is given. */
    static org.reaper.train.RunSummary trainQuietly(org.reaper.train.TrainRun run, ReprOptions repr) {
        try (Backend b = new CpuBackend(2)) {
            run.output(new java.io.PrintWriter(new java.io.StringWriter()), false);
            if (repr != null) run.first(ctx -> ReprTraining.listener(repr, ctx));
            return run.run(b);
        }
    }

    static float[] randomWeights(long seed, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = Philox.normal(seed, 0, i) * 0.1f;
        return w;
    }

    static Tensor tensor(float[] v, int... shape) {
        Tensor t = Persistent.empty(CPU, Shape.of(shape));
        CPU.upload(v, t);
        return t;
    }

    static List<LayerScores> scores(float[]... perLayer) {
        List<LayerScores> out = new ArrayList<>();
        for (int i = 0; i < perLayer.length; i++) out.add(new LayerScores("l" + i, new int[] {perLayer[i].length, 1, 1, 1}, perLayer[i]));
        return out;
    }

    static int[][] dropped(DropPlan p) { return p.layers().stream().map(DropPlan.LayerDrop::dropped).toArray(int[][]::new); }

    static String str(int[][] a) { return Arrays.deepToString(a); }

    /** A tiny synthetic run (no files): model, SGD momentum 0.9 + weight decay, a few steps per epoch. */
    static Trainer trainer(String model, int epochs, int steps) {
        RunConfig c = new RunConfig();
        c.dataset = RunFactory.SYNTHETIC;
        c.model = model;
        c.trainLimit = 192;
        c.testLimit = 64;
        c.val = 64;
        c.batch = 32;
        c.evalBatch = 64;
        c.epochs = epochs;
        c.maxStepsPerEpoch = steps;
        c.lr = 0.05f;
        c.momentum = 0.9f;
        c.weightDecay = 5e-3f;
        c.seed = 7;
        RunFactory.Data data = RunFactory.data(c);
        TrainSetup setup = RunFactory.setup(c, CPU, data, null);
        return new Trainer(setup);
    }
}
