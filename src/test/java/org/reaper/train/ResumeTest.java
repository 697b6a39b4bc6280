package org.reaper.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Kill after epoch k (in-process), resume, and compare with an uninterrupted run: on the CPU everything must be identical. */
public class ResumeTest {
    @TempDir Path tmp;

    public static RunConfig config() {
        RunConfig c = new RunConfig();
        c.model = "c2-8-pool";
        c.dataset = RunFactory.SYNTHETIC;
        c.trainLimit = 240;
        c.testLimit = 60;
        c.val = 40;
        c.augment = true;            // augmentation draws must also line up after the resume
        c.epochs = 4;
        c.batch = 32;
        c.lr = 0.05f;
        c.momentum = 0.9f;
        c.weightDecay = 5e-4f;
        c.scheduleLr = "cosine";
        c.maxStepsPerEpoch = 4;
        c.seed = 7;
        return c;
    }

    private static RunSummary train(TrainRun run) {
        try (Backend b = new CpuBackend(2)) {
            return run.output(new PrintWriter(new StringWriter()), false).run(b);
        }
    }

    @Test void resumedRunEndsWithExactlyTheNumbersOfAnUninterruptedRun() {
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        RunSummary expected = train(new TrainRun(config(), whole));
        assertNotNull(expected);

        RunSummary stopped = train(new TrainRun(config(), killed).extra(new TrainListener() {
            @Override public void onEpochEnd(TrainContext c, EpochMetrics m) { if (m.epoch() == 1) c.requestStop(); }
        }));
        assertNull(stopped, "a stopped run has no summary");
        assertEquals(2, MetricsWriter.readRows(killed.resolve(MetricsWriter.JSONL)).size());

        RunConfig again = TrainRun.readConfig(killed);
        Checkpoints.Loaded ck = Checkpoints.read(killed.resolve(Checkpoints.FILE));
        assertEquals(2, ck.epoch());
        assertEquals(8, ck.optimizerSteps());
        RunSummary resumed = train(new TrainRun(again, killed).resumeFrom(ck));

        assertEquals(expected.finalTestAccuracy(), resumed.finalTestAccuracy());
        assertEquals(expected.finalTestLoss(), resumed.finalTestLoss());
        assertEquals(expected.bestTestAccuracy(), resumed.bestTestAccuracy());
        assertEquals(expected.finalTrainLoss(), resumed.finalTrainLoss());
        assertEquals(expected.steps(), resumed.steps());

        List<Map<String, Object>> a = MetricsWriter.readRows(whole.resolve(MetricsWriter.JSONL));
        List<Map<String, Object>> b = MetricsWriter.readRows(killed.resolve(MetricsWriter.JSONL));
        assertEquals(4, b.size(), "metrics continued, not duplicated");
        for (int i = 0; i < a.size(); i++) {
            for (String k : List.of("epoch", "phase", "lr", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc"))
                assertEquals(a.get(i).get(k), b.get(i).get(k), "row " + i + " column " + k);
        }

        Map<String, HostTensor> wa = Checkpoints.read(whole.resolve(Checkpoints.FILE)).tensors();
        Map<String, HostTensor> wb = Checkpoints.read(killed.resolve(Checkpoints.FILE)).tensors();
        assertEquals(wa.keySet(), wb.keySet());
        assertTrue(wa.keySet().stream().anyMatch(k -> k.startsWith("optim.")), "optimizer state is checkpointed");
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).data(), wb.get(k).data(), k);
    }
}
