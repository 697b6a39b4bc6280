package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.train.Checkpoints;
import org.reaper.train.MetricsWriter;
import org.reaper.train.OrthoPenaltyTerm;
import org.reaper.train.RunConfig;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.TrainRun;

/**
 * --ortho-penalty in training: the metrics column, the penalty going down when it is weighted, RePr's pruned phase
 * (dropped filters are zero rows: no NaN), and a run stopped inside a pruned epoch resuming to exactly the numbers of an
 * uninterrupted one (the epoch's penalty sum is part of the inside-epoch state).
 */
class OrthoPenaltyTrainingTest {
    @TempDir Path tmp;

    private static ReprOptions repr() { return ReprOptions.oneCycle(1, 1, 0.5); }   // epoch 0 full, epoch 1 pruned, re-init after epoch 1, epoch 2 full

    private static RunConfig config(float lambda, boolean withRepr) {
        RunConfig c = ReprTestKit.threeEpochs(withRepr ? repr() : null);
        c.orthoPenalty = lambda;
        return c;
    }

    private static RunSummary train(TrainRun run, boolean withRepr) { return ReprTestKit.trainQuietly(run, withRepr ? repr() : null); }

    private static List<Double> penalties(Path run) {
        return MetricsWriter.readRows(run.resolve(MetricsWriter.JSONL)).stream()
                .map(r -> ((Number) r.get(OrthoPenaltyTerm.COLUMN)).doubleValue()).toList();
    }

    @Test void aWeightedPenaltyMakesTheFiltersMoreOrthogonal() {
        Path weak = tmp.resolve("weak"), strong = tmp.resolve("strong"), none = tmp.resolve("none");
        assertNotNull(train(new TrainRun(config(1e-4f, false), weak), false));
        assertNotNull(train(new TrainRun(config(2f, false), strong), false));
        assertNotNull(train(new TrainRun(config(0f, false), none), false));
        List<Double> w = penalties(weak), s = penalties(strong);
        assertEquals(3, w.size());
        for (double v : w) assertTrue(Double.isFinite(v) && v > 0, "penalty " + v);
        assertTrue(s.get(2) < 0.5 * w.get(2), "lambda 2 leaves a smaller penalty than 1e-4: " + s + " vs " + w);
        for (Map<String, Object> row : MetricsWriter.readRows(none.resolve(MetricsWriter.JSONL)))
            assertNull(row.get(OrthoPenaltyTerm.COLUMN), "no column without the penalty");
        assertEquals(2f, TrainRun.readConfig(strong).orthoPenalty);
        assertEquals("all", TrainRun.readConfig(strong).orthoPenaltyLayers);
    }

    @Test void reprWithThePenaltyHasNoNaNInItsPrunedPhaseAndResumesInsideItExactly() {
        Path whole = tmp.resolve("whole"), stopped = tmp.resolve("stopped");
        RunSummary expected = train(new TrainRun(config(0.05f, true), whole), true);
        assertNotNull(expected);
        List<Map<String, Object>> rows = MetricsWriter.readRows(whole.resolve(MetricsWriter.JSONL));
        assertEquals("pruned", rows.get(1).get("phase"));
        for (double v : penalties(whole)) assertTrue(Double.isFinite(v) && v > 0, "penalty " + v);

        long[] step = {0};
        TrainRun first = new TrainRun(config(0.05f, true), stopped).extra(new TrainListener() {
            @Override public void afterOptimizerStep(TrainContext c) { step[0] = c.globalStep(); }
        }).interruptWhen(() -> step[0] >= 6);    // inside epoch 1, the pruned one
        assertNull(train(first, true));
        Checkpoints.Loaded ck = Checkpoints.read(stopped.resolve(Checkpoints.FILE));
        RunSummary resumed = train(new TrainRun(TrainRun.readConfig(stopped), stopped).resumeFrom(ck), true);
        assertEquals(expected.finalTestLoss(), resumed.finalTestLoss());
        InsideEpochResumeTest.sameFiles(whole, stopped, true);
        assertEquals(penalties(whole), penalties(stopped), "the epoch's mean penalty survives the stop");
    }
}
