package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reaper.nn.Conv2d;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Prunable;
import org.reaper.nn.PrunableConv;
import org.reaper.optim.Sgd;
import org.reaper.rng.RandomStream;
import org.reaper.train.EpochMetrics;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.Trainer;

/** RePr inside a real (tiny) training run with SGD momentum 0.9 and weight decay. */
class ReprInvariantsTest {

    @Test void scheduleBoundaries() {
        ReprSchedule s = new ReprSchedule(20, 10, 3);
        List<Integer> pruned = new ArrayList<>();
        for (int e = 0; e < 110; e++) if (s.isPruned(e)) pruned.add(e);
        List<Integer> want = new ArrayList<>();
        for (int[] r : new int[][] {{20, 30}, {50, 60}, {80, 90}}) for (int e = r[0]; e < r[1]; e++) want.add(e);
        assertEquals(want, pruned);
        assertEquals(0, s.dropAfter(19));
        assertEquals(2, s.dropAfter(79));
        assertEquals(-1, s.dropAfter(109));
        assertEquals(0, s.reinitAfter(29));
        assertEquals(2, s.reinitAfter(89));
        assertEquals(-1, s.reinitAfter(119));
        assertEquals(-1, s.dropAfter(20));
    }

    /** Checks, after RePr's own hooks, that the dropped rows are exactly zero and their momentum was reset. */
    static final class Checker implements TrainListener {
        final ReprListener repr;
        final List<String> phases = new ArrayList<>();
        int checkedSteps, checkedDrops, checkedReinits;
        List<float[][]> oldRows = new ArrayList<>();

        Checker(ReprListener repr) { this.repr = repr; }

        @Override public void afterOptimizerStep(TrainContext c) {
            for (FilterMask m : repr.masks()) {
                assertRowsZero(c, m);
                checkedSteps++;
            }
        }

        @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
            phases.add(m.phase());
            assertNotNull(m.extra().get("ortho_sum"));
            if (!repr.masks().isEmpty() && "full".equals(m.phase())) {          // a drop just happened
                Sgd sgd = (Sgd) c.optimizer();
                for (FilterMask mask : repr.masks()) {
                    assertRowsZero(c, mask);
                    float[] buf = c.backend().toHost(sgd.momentumBuffer(mask.layer().conv().weight()));
                    int d = mask.layer().conv().fanIn();
                    for (int f : mask.dropped()) for (int k = 0; k < d; k++) assertTrue(buf[f * d + k] == 0f, "momentum row reset");
                }
                checkedDrops++;
            }
            if (repr.masks().isEmpty() && "pruned".equals(m.phase())) {         // a re-init just happened
                for (OrthogonalReinit.LayerReport r : repr.lastReinit()) {
                    assertEquals(r.reinitialised(), r.fullOrthogonal(), r.toString());
                    assertTrue(r.maxCosKept() < 1e-4 && r.maxCosOld() < 1e-4, r.toString());
                    assertEquals(Math.sqrt(1.0 / 3), r.meanNorm(), 1e-4, "default-norm of PyTorch's default init");
                }
                checkedReinits++;
            }
        }

        static void assertRowsZero(TrainContext c, FilterMask m) {
            Conv2d conv = m.layer().conv();
            float[] w = c.backend().toHost(conv.weight().value());
            float[] b = conv.bias() == null ? null : c.backend().toHost(conv.bias().value());
            int d = conv.fanIn();
            for (int f : m.dropped()) {
                for (int k = 0; k < d; k++) assertTrue(w[f * d + k] == 0f, "dropped weight stays exactly zero");
                if (b != null) assertTrue(b[f] == 0f, "dropped bias stays exactly zero");
            }
        }
    }

    @Test void droppedFiltersStayZeroAndReinitIsOrthogonalAndPhasesFallOnTheRightEpochs() {
        Trainer t = ReprTestKit.trainer("c3-8-pool", 6, 3);
        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        o.s1 = 2; o.s2 = 1; o.cycles = 2; o.prune = 0.3;
        o.scope = ReprOptions.Scope.LAYER;          // drops in every layer, so every layer's re-init is checked
        ReprListener repr = (ReprListener) ReprTraining.listener(o, t.context());
        Checker check = new Checker(repr);
        t.addListener(repr).addListener(check);
        t.run();
        assertEquals(List.of("full", "full", "pruned", "full", "full", "pruned"), check.phases);
        assertTrue(check.checkedSteps >= 2 * 3, "every step of both pruned epochs was checked: " + check.checkedSteps);
        assertEquals(2, check.checkedDrops);      // drops at the ends of epochs 1 and 4
        assertEquals(1, check.checkedReinits);    // re-init at the end of epoch 2 (the run ends inside the second pruned phase)
    }

    @Test void bnAndOptimizerStateHandledOnABatchNormModel() {
        Trainer t = ReprTestKit.trainer("c2-8-bn", 3, 2);
        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        o.s1 = 1; o.s2 = 1; o.cycles = 1; o.prune = 0.5;
        o.nextLayer = ReprOptions.NextLayer.ZERO;
        ReprListener repr = (ReprListener) ReprTraining.listener(o, t.context());
        List<String> seen = new ArrayList<>();
        t.addListener(repr).addListener(new TrainListener() {
            @Override public void afterOptimizerStep(TrainContext c) {
                for (FilterMask m : repr.masks()) {
                    PrunableConv pc = m.layer();
                    float[] g = c.backend().toHost(pc.bn().weight().value()), b = c.backend().toHost(pc.bn().bias().value());
                    for (int f : m.dropped()) { assertEquals(1f, g[f]); assertTrue(b[f] == 0f); }
                    if (pc.nextConv() != null) {
                        float[] nw = c.backend().toHost(pc.nextConv().weight().value());
                        int ch = pc.conv().outChannels(), per = pc.nextConv().kernel() * pc.nextConv().kernel();
                        for (int out = 0; out < pc.nextConv().outChannels(); out++)
                            for (int f : m.dropped()) for (int k = 0; k < per; k++) assertTrue(nw[(out * ch + f) * per + k] == 0f);
                    }
                    seen.add(pc.name());
                }
            }
        });
        t.run();
        assertTrue(seen.size() >= 2, "pruned steps were checked: " + seen);
    }

    @Test void firstLayerFallbackReportsPartialOrthogonality() {
        // 32 filters in 27 dimensions, 16 dropped: kept (16) + old (16) cannot all fit; at most 27 - 16 = 11 constraints
        Conv2d conv = new Conv2d(ReprTestKit.CPU, 3, 32, 3, 1, 1, true);
        float[] w = ReprTestKit.randomWeights(77, 32 * 27);
        ReprTestKit.CPU.upload(w, conv.weight().value());
        int[] dropped = new int[16];
        float[][] old = new float[16][];
        for (int i = 0; i < 16; i++) {
            dropped[i] = 2 * i;
            old[i] = java.util.Arrays.copyOfRange(w, dropped[i] * 27, dropped[i] * 27 + 27);
        }
        OrthogonalReinit r = new OrthogonalReinit(ReprOptions.Reinit.NULL_SPACE, ReprOptions.ReinitScale.DEFAULT_NORM, 1, InitScheme.PYTORCH_DEFAULT);
        OrthogonalReinit.LayerReport rep = r.apply(ReprTestKit.CPU, "conv", conv, dropped, old, new RandomStream(4));
        assertEquals(16, rep.reinitialised());
        assertEquals(0, rep.fullOrthogonal(), rep.toString());
        assertEquals(11, rep.constraintsUsed());
        assertEquals(27, rep.constraintsWanted());
        // the new filters are still orthonormal among themselves (scaled) and orthogonal to the 11 most overlapping kept filters
        float[] nw = ReprTestKit.CPU.toHost(conv.weight().value());
        for (int a = 0; a < 16; a++)
            for (int b = a + 1; b < 16; b++)
                assertTrue(NullSpace.absCos(OrthogonalReinit.row(nw, dropped[a], 27), OrthogonalReinit.row(nw, dropped[b], 27)) < 1e-4);
        List<double[]> kept = new ArrayList<>();
        for (int f = 1; f < 32; f += 2) kept.add(OrthogonalReinit.row(w, f, 27));
        List<double[]> order = OrthogonalReinit.byOverlap(kept);
        for (int c = 0; c < 11; c++)
            for (int f : dropped) assertTrue(NullSpace.absCos(OrthogonalReinit.row(nw, f, 27), order.get(c)) < 1e-4);
    }

    @Test void reinitScalesAndMethods() {
        Conv2d conv = new Conv2d(ReprTestKit.CPU, 8, 6, 3, 1, 1, false);
        float[] w = ReprTestKit.randomWeights(5, 6 * 72);
        int[] dropped = {1, 4};
        float[][] old = {java.util.Arrays.copyOfRange(w, 72, 144), java.util.Arrays.copyOfRange(w, 288, 360)};
        double keptNorm = 0;
        for (int f : new int[] {0, 2, 3, 5}) keptNorm += NullSpace.norm(OrthogonalReinit.row(w, f, 72)) / 4;
        for (ReprOptions.ReinitScale sc : ReprOptions.ReinitScale.values()) {
            ReprTestKit.CPU.upload(w, conv.weight().value());
            var rep = new OrthogonalReinit(ReprOptions.Reinit.NULL_SPACE, sc, 1, InitScheme.PYTORCH_DEFAULT)
                    .apply(ReprTestKit.CPU, "c", conv, dropped, old, new RandomStream(9));
            float[] nw = ReprTestKit.CPU.toHost(conv.weight().value());
            switch (sc) {
                case DEFAULT_NORM -> { assertEquals(Math.sqrt(1 / 3.0), rep.meanNorm(), 1e-5); assertEquals(2, rep.fullOrthogonal()); }
                case MEAN_KEPT_NORM -> { assertEquals(keptNorm, rep.meanNorm(), 1e-5); assertEquals(2, rep.fullOrthogonal()); }
                case FAN_IN_CLIP -> { for (int f : dropped) for (int k = 0; k < 72; k++) assertTrue(Math.abs(nw[f * 72 + k]) <= 1 / Math.sqrt(72) + 1e-7); }
            }
        }
        // official QR column: unit norm x gain, orthogonal to the filters with a lower index
        ReprTestKit.CPU.upload(w, conv.weight().value());
        var rep = new OrthogonalReinit(ReprOptions.Reinit.QR_COLUMN, ReprOptions.ReinitScale.DEFAULT_NORM, 2.0, InitScheme.PYTORCH_DEFAULT)
                .apply(ReprTestKit.CPU, "c", conv, dropped, old, new RandomStream(9));
        assertEquals(2.0, rep.meanNorm(), 1e-5);
        float[] nw = ReprTestKit.CPU.toHost(conv.weight().value());
        for (int g = 0; g < 4; g++) assertTrue(NullSpace.absCos(OrthogonalReinit.row(nw, 4, 72), OrthogonalReinit.row(g == 1 ? w : nw, g, 72)) < 1e-4);
    }
}
