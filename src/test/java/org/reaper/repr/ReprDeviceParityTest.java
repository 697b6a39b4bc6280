package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reaper.backend.Backend;
import org.reaper.backend.TestBackends;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.train.EpochMetrics;
import org.reaper.train.RunConfig;
import org.reaper.train.RunFactory;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.Trainer;

/**
 * A whole RePr cycle (train, rank by orthogonality on the device, drop, train the sub-network,
 * re-initialise) from the same seed on the CPU and on CUDA (a GPU, or the stand-in in CI): the same
 * filters are dropped in every layer, the re-initialised run keeps agreeing, and the dropped rows
 * are exactly zero on both. Skips with the reason where no CUDA backend is usable.
 */
class ReprDeviceParityTest {

    record Result(Map<String, int[]> dropped, List<Double> trainLoss, List<OrthogonalReinit.LayerReport> reinit) {}

    private static Result run(Backend b, String model, int epochs, int cycles) {
        RunConfig c = new RunConfig();
        c.dataset = RunFactory.SYNTHETIC;
        c.model = model;
        c.trainLimit = 48;
        c.testLimit = 16;
        c.val = 0;
        c.batch = model.startsWith("resnet") ? 4 : 8;
        c.evalBatch = 16;
        c.epochs = epochs;
        c.maxStepsPerEpoch = model.startsWith("resnet") ? 2 : 3;
        c.lr = model.startsWith("resnet") ? 0.01f : 0.05f;   // resnet20 at batch 4 and lr 0.05 diverges, and with it the two runs
        c.momentum = 0.9f;
        c.weightDecay = 5e-4f;
        c.seed = 11;
        Trainer t = new Trainer(RunFactory.setup(c, b, RunFactory.data(c), null));
        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        o.s1 = 1; o.s2 = 1; o.cycles = cycles; o.prune = 0.3;
        ReprListener repr = (ReprListener) ReprTraining.listener(o, t.context());
        Map<String, int[]> dropped = new LinkedHashMap<>();
        List<Double> losses = new ArrayList<>();
        List<OrthogonalReinit.LayerReport> reinit = new ArrayList<>();
        t.addListener(repr).addListener(new TrainListener() {
            @Override public void afterOptimizerStep(TrainContext ctx) {
                for (FilterMask m : repr.masks()) {
                    dropped.putIfAbsent("epoch " + (ctx.epoch() + 1) + " " + m.layer().name(), m.dropped());
                    float[] w = ctx.backend().toHost(m.layer().conv().weight().value());
                    int d = w.length / m.layer().conv().outChannels();
                    for (int f : m.dropped()) for (int k = 0; k < d; k++) assertTrue(w[f * d + k] == 0f, "dropped row on " + ctx.backend());
                }
            }
            @Override public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
                losses.add(m.trainLoss());
                if (reinit.isEmpty()) reinit.addAll(repr.lastReinit());
            }
        });
        t.run();
        return new Result(dropped, losses, reinit);
    }

    @Test
    void aReprCyclePicksTheSameFiltersOnBothBackends() {
        Backend cuda = TestBackends.cuda();
        Assumptions.assumeTrue(cuda != null, "no CUDA backend (GPU or stand-in) is usable here");
        Result cpu = run(new CpuBackend(2), "c3-8-pool", 3, 1), dev = run(cuda, "c3-8-pool", 3, 1);
        assertFalse(cpu.dropped().isEmpty(), "the cycle dropped nothing");
        assertEquals(cpu.dropped().keySet(), dev.dropped().keySet(), "layers with drops");
        for (String layer : cpu.dropped().keySet())
            assertEquals(java.util.Arrays.toString(cpu.dropped().get(layer)), java.util.Arrays.toString(dev.dropped().get(layer)), "dropped filters of " + layer);
        assertEquals(3, dev.trainLoss().size());
        for (int e = 0; e < 3; e++)
            assertEquals(cpu.trainLoss().get(e), dev.trainLoss().get(e), 1e-4 * Math.abs(cpu.trainLoss().get(e)), "train loss of epoch " + e);
        assertTrue(!dev.reinit().isEmpty(), "the dropped filters were re-initialised on the device run");
        for (int i = 0; i < cpu.reinit().size(); i++)
            assertEquals(cpu.reinit().get(i).fullOrthogonal(), dev.reinit().get(i).fullOrthogonal(), "fully orthogonal filters of " + cpu.reinit().get(i).layer());
    }

    /**
     * The paper's models, two cycles (drops after epochs 1 and 3, a re-init after epoch 2). The first
     * cycle's drops are the same filters on both backends. By the second, the two runs have trained six
     * steps apart in float32 with different summation orders (losses agree to ~1e-5), and a global 30 %
     * cut over hundreds of filters whose scores lie ~1e-4 apart lets the filters at the boundary swap, so
     * there the dropped sets must agree on at least 90 % of the filters (the overlap is printed).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"c3-32-pool", "resnet20"})
    void wholeRunsDropTheSameFiltersEpochForEpoch(String model) {
        Backend cuda = TestBackends.cuda();
        Assumptions.assumeTrue(cuda != null, "no CUDA backend (GPU or stand-in) is usable here");
        Result cpu = run(new CpuBackend(2), model, 4, 2), dev = run(cuda, model, 4, 2);
        assertTrue(cpu.dropped().keySet().stream().anyMatch(k -> k.startsWith("epoch 4")), model + ": the second cycle dropped nothing: " + cpu.dropped().keySet());
        java.util.Set<String> a = new java.util.HashSet<>(), b = new java.util.HashSet<>();
        for (String key : cpu.dropped().keySet()) {
            if (key.startsWith("epoch 2"))
                assertEquals(java.util.Arrays.toString(cpu.dropped().get(key)), java.util.Arrays.toString(dev.dropped().get(key)), model + " " + key);
            else for (int f : cpu.dropped().get(key)) a.add(key + "/" + f);
        }
        for (String key : dev.dropped().keySet()) {
            if (key.startsWith("epoch 2")) assertTrue(cpu.dropped().containsKey(key), model + ": " + key + " dropped on the device only");
            else for (int f : dev.dropped().get(key)) b.add(key + "/" + f);
        }
        java.util.Set<String> both = new java.util.HashSet<>(a);
        both.retainAll(b);
        double overlap = both.size() / (double) Math.max(1, Math.max(a.size(), b.size()));
        System.out.printf("ReprDeviceParityTest: %s second cycle: %d of %d dropped filters the same on both backends%n", model, both.size(), a.size());
        assertTrue(overlap >= 0.9, model + ": second-cycle drops agree on " + both.size() + " of " + a.size());
        // up to the second drop the runs agree closely; after it, a swapped boundary filter changes the sub-network
        for (int e = 0; e < 4; e++)
            assertEquals(cpu.trainLoss().get(e), dev.trainLoss().get(e), (e < 3 ? 1e-3 : 1e-2) * Math.abs(cpu.trainLoss().get(e)),
                    model + " train loss of epoch " + (e + 1));
    }
}
