package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.io.HostTensor;
import org.reaper.train.Checkpoints;
import org.reaper.train.EpochMetrics;
import org.reaper.train.MetricsWriter;
import org.reaper.train.ResumeTest;
import org.reaper.train.RunConfig;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.TrainRun;

/**
 * A RePr run killed in the middle of a pruned phase and resumed from its checkpoint ends with exactly the
 * numbers of an uninterrupted run: the masks, the pre-drop values and the cycle are rebuilt from the
 * checkpointed state, so the dropped filters stay at zero and are re-initialised identically.
 */
class ReprResumeTest {
    @TempDir Path tmp;

    private static ReprOptions repr() { return ReprOptions.oneCycle(2, 2, 0.3); }   // pruned phase = epochs 2 and 3 (0-based), re-init after epoch 3

    private static RunConfig config() {
        RunConfig c = ResumeTest.config();
        c.model = "c2-8-pool-bn";
        c.epochs = 6;
        c.repr = repr().effective();
        return c;
    }

    private static RunSummary train(TrainRun run) {
        try (Backend b = new CpuBackend(2)) {
            return run.output(new PrintWriter(new StringWriter()), false).first(ctx -> ReprTraining.listener(repr(), ctx)).run(b);
        }
    }

    @Test void killedInAPrunedPhaseAndResumedEndsExactlyLikeAnUninterruptedRun() {
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        RunSummary expected = train(new TrainRun(config(), whole));

        RunSummary stopped = train(new TrainRun(config(), killed).extra(new TrainListener() {
            @Override public void onEpochEnd(TrainContext c, EpochMetrics m) { if (m.epoch() == 2) c.requestStop(); }
        }));
        assertNull(stopped);
        List<Map<String, Object>> partial = MetricsWriter.readRows(killed.resolve(MetricsWriter.JSONL));
        assertEquals("pruned", partial.get(2).get("phase"), "the run was stopped inside the pruned phase");

        RunSummary resumed = train(new TrainRun(TrainRun.readConfig(killed), killed).resumeFrom(Checkpoints.read(killed.resolve(Checkpoints.FILE))));
        assertEquals(expected.finalTestAccuracy(), resumed.finalTestAccuracy());
        assertEquals(expected.finalTrainLoss(), resumed.finalTrainLoss());

        List<Map<String, Object>> a = MetricsWriter.readRows(whole.resolve(MetricsWriter.JSONL));
        List<Map<String, Object>> b = MetricsWriter.readRows(killed.resolve(MetricsWriter.JSONL));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++)
            for (String k : List.of("phase", "train_loss", "test_loss", "test_acc", "ortho_sum", "dropped"))
                assertEquals(a.get(i).get(k), b.get(i).get(k), "row " + i + " column " + k);

        Map<String, HostTensor> wa = Checkpoints.read(whole.resolve(Checkpoints.FILE)).tensors();
        Map<String, HostTensor> wb = Checkpoints.read(killed.resolve(Checkpoints.FILE)).tensors();
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).data(), wb.get(k).data(), k);
    }
}
