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

    private static Result run(Backend b) {
        RunConfig c = new RunConfig();
        c.dataset = RunFactory.SYNTHETIC;
        c.model = "c3-8-pool";
        c.trainLimit = 48;
        c.testLimit = 16;
        c.val = 0;
        c.batch = 8;
        c.evalBatch = 16;
        c.epochs = 3;
        c.maxStepsPerEpoch = 3;
        c.lr = 0.05f;
        c.momentum = 0.9f;
        c.weightDecay = 5e-4f;
        c.seed = 11;
        Trainer t = new Trainer(RunFactory.setup(c, b, RunFactory.data(c), null));
        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        o.s1 = 1; o.s2 = 1; o.cycles = 1; o.prune = 0.3;
        ReprListener repr = (ReprListener) ReprTraining.listener(o, t.context());
        Map<String, int[]> dropped = new LinkedHashMap<>();
        List<Double> losses = new ArrayList<>();
        List<OrthogonalReinit.LayerReport> reinit = new ArrayList<>();
        t.addListener(repr).addListener(new TrainListener() {
            @Override public void afterOptimizerStep(TrainContext ctx) {
                for (FilterMask m : repr.masks()) {
                    dropped.putIfAbsent(m.layer().name(), m.dropped());
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
        Result cpu = run(new CpuBackend(2)), dev = run(cuda);
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
}
