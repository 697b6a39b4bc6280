package org.reaper.repr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.nn.PrunableConv;
import org.reaper.train.EpochMetrics;
import org.reaper.train.Json;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;

/**
 * {@code --score-criteria}: just before the first drop, scores every filter with every criterion on the same weights
 * and writes them to {@code criteria-scores.json} ({@link #FILE}), then lets the run's RePr listener drop as usual.
 * Two oracles are kept: on the images every data criterion ranks on (the run's rank batches) and on the whole test
 * split. The training is not changed: each criterion restores what it touches (weights, BN statistics, gradients) and
 * draws from its own fork of the run's stream. {@code reaper agreement} turns the file into rank correlations.
 */
public final class CriteriaScoring implements TrainListener {
    public static final String FILE = "criteria-scores.json";
    private static final long RNG_LABEL = 0x5E9A_C000L;

    private final ReprOptions o;
    private final ReprListener repr;
    private final TrainListener inner;

    /** {@code inner} is the run's RePr listener as the trainer would have it ({@code repr} itself or a wrapper of it). */
    public CriteriaScoring(ReprOptions o, ReprListener repr, TrainListener inner) {
        this.o = o; this.repr = repr; this.inner = inner;
    }

    @Override public void onRunStart(TrainContext c) { inner.onRunStart(c); }
    @Override public void onEpochStart(TrainContext c, int epoch) { inner.onEpochStart(c, epoch); }
    @Override public void afterBackward(TrainContext c) { inner.afterBackward(c); }
    @Override public void afterOptimizerStep(TrainContext c) { inner.afterOptimizerStep(c); }
    @Override public void onStopInsideEpoch(TrainContext c) { inner.onStopInsideEpoch(c); }
    @Override public void onRunEnd(TrainContext c, RunSummary s) { inner.onRunEnd(c, s); }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
        boolean firstDrop = repr.schedule().dropAfter(m.epoch()) == 0 && repr.masks().isEmpty() && m.epoch() + 1 < c.totalEpochs();
        if (firstDrop && c.runDir() != null && !Files.exists(c.runDir().resolve(FILE))) write(c, m.epoch());
        inner.onEpochEnd(c, m);
    }

    private void write(TrainContext c, int epoch) {
        List<PrunableConv> convs = ((org.reaper.nn.Prunable) c.model()).prunableConvs();
        List<RankLayer> layers = ReprCycle.rankLayers(convs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", epoch + 1);
        out.put("model", c.config().model);
        out.put("seed", c.config().seed);
        out.put("options", o.effective());
        out.put("rank_images", Math.min(DataPasses.source(c).size(), (long) o.rankBatches * c.config().batch));
        out.put("rank_split", c.valSet() != null ? "validation" : "training");
        out.put("test_images", c.testSet().size());
        List<Map<String, Object>> ls = new ArrayList<>();
        for (RankLayer l : layers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", l.name());
            e.put("shape", l.shape());
            ls.add(e);
        }
        out.put("layers", ls);
        Map<String, Object> criteria = new LinkedHashMap<>();
        int k = 0;
        for (ReprOptions.Criterion cr : ReprOptions.Criterion.values()) {
            if (cr == ReprOptions.Criterion.ORTHO_OFFICIAL) continue;  // ortho with other options; scored below under its name too
            ReprOptions co = o.copy();
            co.criterion = cr;
            criteria.put(cr.label(), score(c, FilterRanker.of(co), layers, k++));
        }
        ReprOptions official = o.copy();
        official.criterion = ReprOptions.Criterion.ORTHO_OFFICIAL;
        criteria.put("ortho-official", score(c, FilterRanker.of(official), layers, k++));
        criteria.put("oracle-test", score(c, OracleRanker.on(c.testSet()), layers, k));
        out.put("criteria", criteria);
        Json.writeAtomically(c.runDir().resolve(FILE), Json.pretty(out));
    }

    private Map<String, Object> score(TrainContext c, FilterRanker r, List<RankLayer> layers, int k) {
        long t0 = System.nanoTime();
        List<LayerScores> scores = r.score(new RankInput(c.backend(), layers, c, o.rankBatches, c.rng().fork(RNG_LABEL + k)));
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("drop_highest", r.dropHighest());
        e.put("seconds", (System.nanoTime() - t0) / 1e9);
        List<float[]> s = new ArrayList<>();
        for (LayerScores l : scores) s.add(l.scores());
        e.put("scores", s);
        return e;
    }
}
