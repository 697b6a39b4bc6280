package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reaper.nn.Prunable;
import org.reaper.nn.PrunableConv;
import org.reaper.rng.RandomStream;
import org.reaper.train.TrainContext;
import org.reaper.train.Trainer;

/** Each criterion on a case whose answer is known. */
class CriteriaKnownAnswerTest {

    static RankInput weights(float[] w, int... shape) {
        return RankInput.weightsOnly(ReprTestKit.CPU, List.of(new RankLayer("conv", ReprTestKit.tensor(w, shape), null)), new RandomStream(3));
    }

    static int argmax(float[] s) { int b = 0; for (int i = 1; i < s.length; i++) if (s[i] > s[b]) b = i; return b; }
    static int argmin(float[] s) { int b = 0; for (int i = 1; i < s.length; i++) if (s[i] < s[b]) b = i; return b; }

    @Test void orthoRanksTwoIdenticalFiltersAsTheMostOverlapping() {
        int j = 16, d = 288;   // high dimension: random cosines ~ 1/sqrt(d), so even the signed mean (abs after the mean) cannot rival cos = 1
        float[] w = ReprTestKit.randomWeights(11, j * d);
        // equal norms, so that the layer-Frobenius variant (whose scores also grow with a filter's norm) has the same answer
        for (int f = 0; f < j; f++) {
            double n = 0;
            for (int k = f * d; k < (f + 1) * d; k++) n += w[k] * w[k];
            for (int k = f * d; k < (f + 1) * d; k++) w[k] /= (float) Math.sqrt(n);
        }
        System.arraycopy(w, 3 * d, w, 9 * d, d);                       // filter 9 = filter 3
        for (var norm : ReprOptions.Norm.values())
            for (var abs : ReprOptions.Abs.values()) {
                ReprOptions o = new ReprOptions();
                o.norm = norm;
                o.abs = abs;
                o.prune = 2.0 / j;
                FilterRanker r = FilterRanker.of(o);
                assertTrue(r.dropHighest());
                float[] s = r.score(weights(w, j, 32, 3, 3)).get(0).scores();
                DropPlan p = FilterSelection.of(o).select(List.of(new LayerScores("conv", new int[] {j, 32, 3, 3}, s)), r.dropHighest());
                assertEquals("[[3, 9]]", ReprTestKit.str(ReprTestKit.dropped(p)), norm.label() + "/" + abs.label());
            }
    }

    @Test void weightNormsRankAZeroFilterLowest() {
        int j = 8, d = 27;
        float[] w = ReprTestKit.randomWeights(12, j * d);
        java.util.Arrays.fill(w, 5 * d, 6 * d, 0f);
        for (int p : new int[] {1, 2}) {
            WeightNormRanker r = new WeightNormRanker(p);
            float[] s = r.score(weights(w, j, 3, 3, 3)).get(0).scores();
            assertEquals(5, argmin(s));
            assertEquals(0f, s[5]);
            assertFalse(r.dropHighest());
        }
        // known value: L1 and L2 of a filter of ones
        float[] ones = new float[2 * 4];
        java.util.Arrays.fill(ones, 1f);
        assertEquals(4f, new WeightNormRanker(1).score(weights(ones, 2, 1, 2, 2)).get(0).scores()[0], 1e-6);
        assertEquals(2f, new WeightNormRanker(2).score(weights(ones, 2, 1, 2, 2)).get(0).scores()[1], 1e-6);
    }

    @Test void randomIsSeededAndUniform() {
        float[] w = new float[64 * 9];
        float[] a = new RandomRanker().score(RankInput.weightsOnly(ReprTestKit.CPU, List.of(new RankLayer("c", ReprTestKit.tensor(w, 64, 1, 3, 3), null)), new RandomStream(5))).get(0).scores();
        float[] b = new RandomRanker().score(RankInput.weightsOnly(ReprTestKit.CPU, List.of(new RankLayer("c", ReprTestKit.tensor(w, 64, 1, 3, 3), null)), new RandomStream(5))).get(0).scores();
        float[] c = new RandomRanker().score(RankInput.weightsOnly(ReprTestKit.CPU, List.of(new RankLayer("c", ReprTestKit.tensor(w, 64, 1, 3, 3), null)), new RandomStream(6))).get(0).scores();
        assertTrue(java.util.Arrays.equals(a, b));
        assertFalse(java.util.Arrays.equals(a, c));
        for (float v : a) assertTrue(v >= 0 && v < 1);
    }

    /** A dead filter (zero weights, bias -100: its ReLU output is always 0) in the first conv of a no-BN model. */
    @Test void dataCriteriaFindADeadFilter() {
        Trainer t = ReprTestKit.trainer("c2-8-pool", 1, 1);
        TrainContext ctx = t.context();
        List<PrunableConv> convs = ((Prunable) ctx.model()).prunableConvs();
        PrunableConv first = convs.get(0);
        int dead = 2;
        float[] w = ReprTestKit.CPU.toHost(first.conv().weight().value());
        int d = first.conv().fanIn();
        java.util.Arrays.fill(w, dead * d, (dead + 1) * d, 0f);
        ReprTestKit.CPU.upload(w, first.conv().weight().value());
        float[] bias = ReprTestKit.CPU.toHost(first.conv().bias().value());
        bias[dead] = -100f;
        ReprTestKit.CPU.upload(bias, first.conv().bias().value());
        List<RankLayer> layers = new ArrayList<>();
        for (PrunableConv pc : convs) layers.add(new RankLayer(pc.name(), pc.conv().weight().value(), pc));
        RankInput in = new RankInput(ReprTestKit.CPU, layers, ctx, 2, new RandomStream(1));
        float[] before = ReprTestKit.CPU.toHost(first.conv().weight().value());

        float[] act = new ActivationRanker(false).score(in).get(0).scores();
        assertEquals(0f, act[dead]);
        assertEquals(dead, argmin(act));
        float[] apoz = new ActivationRanker(true).score(in).get(0).scores();
        assertEquals(1f, apoz[dead]);
        assertEquals(dead, argmax(apoz));
        for (float v : apoz) assertTrue(v >= 0 && v <= 1);
        float[] grad = new GradientRanker(false).score(in).get(0).scores();
        assertEquals(0f, grad[dead]);
        assertEquals(dead, argmin(grad));
        List<LayerScores> taylor = new GradientRanker(true).score(in);
        assertEquals(0f, taylor.get(0).scores()[dead]);
        for (LayerScores ls : taylor) {                 // per-layer L2-normalised
            double n = 0;
            for (float v : ls.scores()) n += v * v;
            assertEquals(1.0, Math.sqrt(n), 1e-5, ls.layer());
        }
        float[] oracle = new OracleRanker().score(in).get(0).scores();
        assertEquals(0f, oracle[dead], "silencing a dead filter cannot change the accuracy");
        // the passes left the model untouched and without gradients
        assertTrue(java.util.Arrays.equals(before, ReprTestKit.CPU.toHost(first.conv().weight().value())));
        assertTrue(first.conv().weight().grad() == null);
    }

    /** Taylor's identity: with BN, sum(a * dL/da) is computed from gamma/beta gradients; check a BN model runs and differs per filter. */
    @Test void taylorOnABatchNormModel() {
        Trainer t = ReprTestKit.trainer("c2-8-bn", 1, 1);
        TrainContext ctx = t.context();
        List<RankLayer> layers = new ArrayList<>();
        for (PrunableConv pc : ((Prunable) ctx.model()).prunableConvs()) layers.add(new RankLayer(pc.name(), pc.conv().weight().value(), pc));
        float[] running = ReprTestKit.CPU.toHost(((Prunable) ctx.model()).prunableConvs().get(0).bn().runningMean());
        List<LayerScores> s = new GradientRanker(true).score(new RankInput(ReprTestKit.CPU, layers, ctx, 2, new RandomStream(1)));
        assertEquals(2, s.size());
        assertTrue(s.get(0).scores()[0] != s.get(0).scores()[1]);
        assertTrue(java.util.Arrays.equals(running, ReprTestKit.CPU.toHost(((Prunable) ctx.model()).prunableConvs().get(0).bn().runningMean())),
                "BN running statistics restored after the data passes");
    }
}
