package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.io.HostTensor;
import org.reaper.train.Checkpoints;
import org.reaper.train.MetricsWriter;
import org.reaper.train.RunConfig;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.TrainRun;

/**
 * A run stopped inside an epoch (as on SIGTERM: before step k) writes a checkpoint at that step, and the resumed run
 * ends with exactly the numbers of an uninterrupted one: same batches (loader position), same RNG offset, same epoch
 * sums in the metrics row, same RePr masks in a pruned phase. The real-signal version is GracefulStopProcessTest.
 */
class InsideEpochResumeTest {
    @TempDir Path tmp;

    private static ReprOptions repr() { return ReprOptions.oneCycle(1, 1, 0.3); }   // epoch 0 full, epoch 1 pruned, re-init after epoch 1, epoch 2 full

    private static RunConfig config(boolean withRepr) { return ReprTestKit.threeEpochs(withRepr ? repr() : null); }

    private static RunSummary train(TrainRun run, boolean withRepr) { return ReprTestKit.trainQuietly(run, withRepr ? repr() : null); }

    /** Stops before global step {@code stopAt} (0-based; 4 steps per epoch). */
    private static TrainRun stoppingAt(TrainRun run, long stopAt) {
        long[] step = {0};
        return run.extra(new TrainListener() {
            @Override public void afterOptimizerStep(TrainContext c) { step[0] = c.globalStep(); }
        }).interruptWhen(() -> step[0] >= stopAt);
    }

    @Test void stoppedInsideAnEpochAndResumedEndsExactlyLikeAnUninterruptedRun() { check(false, 6); }

    @Test void stoppedInsideAPrunedPhaseAndResumedEndsExactlyLikeAnUninterruptedRun() { check(true, 5); }

    @Test void stoppedTwiceInTheSameEpoch() {
        Path whole = tmp.resolve("whole"), run = tmp.resolve("twice");
        RunSummary expected = train(new TrainRun(config(false), whole), false);
        assertNull(train(stoppingAt(new TrainRun(config(false), run), 5), false));
        assertNull(train(stoppingAt(new TrainRun(TrainRun.readConfig(run), run).resumeFrom(read(run)), 7), false));
        assertEquals(7, read(run).optimizerSteps());
        RunSummary resumed = train(new TrainRun(TrainRun.readConfig(run), run).resumeFrom(read(run)), false);
        assertEquals(expected.finalTrainLoss(), resumed.finalTrainLoss());
        sameFiles(whole, run, false);
    }

    private void check(boolean withRepr, long stopAt) {
        Path whole = tmp.resolve("whole"), stopped = tmp.resolve("stopped");
        RunSummary expected = train(new TrainRun(config(withRepr), whole), withRepr);
        assertNotNull(expected);

        TrainRun first = stoppingAt(new TrainRun(config(withRepr), stopped), stopAt);
        assertNull(train(first, withRepr));
        assertEquals(new TrainRun.Stop("request", 1, (int) stopAt - 4, 4, 3), first.stopped());
        Checkpoints.Loaded ck = read(stopped);
        assertEquals(1, ck.epoch(), "one epoch completed");
        assertEquals(stopAt, ck.optimizerSteps());
        assertEquals(1, MetricsWriter.readRows(stopped.resolve(MetricsWriter.JSONL)).size(), "no row for the unfinished epoch");

        RunSummary resumed = train(new TrainRun(TrainRun.readConfig(stopped), stopped).resumeFrom(ck), withRepr);
        assertEquals(expected.finalTestAccuracy(), resumed.finalTestAccuracy());
        assertEquals(expected.finalTestLoss(), resumed.finalTestLoss());
        assertEquals(expected.finalTrainLoss(), resumed.finalTrainLoss());
        assertEquals(expected.steps(), resumed.steps());
        sameFiles(whole, stopped, withRepr);
    }

    private static Checkpoints.Loaded read(Path run) { return Checkpoints.read(run.resolve(Checkpoints.FILE)); }

    static void sameFiles(Path whole, Path resumed, boolean withRepr) {
        List<Map<String, Object>> a = MetricsWriter.readRows(whole.resolve(MetricsWriter.JSONL));
        List<Map<String, Object>> b = MetricsWriter.readRows(resumed.resolve(MetricsWriter.JSONL));
        assertEquals(a.size(), b.size(), "metrics continued, not duplicated");
        List<String> columns = withRepr ? List.of("epoch", "phase", "lr", "train_loss", "train_acc", "val_loss", "test_loss", "test_acc", "ortho_sum", "dropped")
                : List.of("epoch", "phase", "lr", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc");
        for (int i = 0; i < a.size(); i++)
            for (String k : columns) assertEquals(a.get(i).get(k), b.get(i).get(k), "row " + i + " column " + k);
        Map<String, HostTensor> wa = read(whole).tensors(), wb = read(resumed).tensors();
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).data(), wb.get(k).data(), k);
        assertEquals(read(whole).rngOffset(), read(resumed).rngOffset());
    }
}
