package org.reaper.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * summary.json: final and best test accuracy, total time. Written after every epoch with
 * {@code "finished": false} (so a killed run still shows its progress) and at the end with {@code true}.
 */
public final class SummaryWriter implements TrainListener {
    public static final String FILE = "summary.json";
    private final Path file;
    private EpochMetrics last;

    public SummaryWriter(Path runDir) { this.file = runDir.resolve(FILE); }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
        last = m;
        Map<String, Object> s = header(c);
        s.put("finished", false);
        s.put("epochs_done", m.epoch() + 1);
        s.put("epochs", c.totalEpochs());
        s.put("final_test_acc", m.testAccuracy());
        s.put("final_test_loss", m.testLoss());
        s.put("final_test_top5", m.testTop5());
        s.put("best_test_acc", c.state().get(Trainer.BEST_TEST));
        s.put("best_test_epoch", c.state().get(Trainer.BEST_TEST_EPOCH));
        s.put("final_val_acc", m.valAccuracy());
        s.put("best_val_acc", c.state().get(Trainer.BEST_VAL));
        s.put("final_train_loss", m.trainLoss());
        s.put("final_train_acc", m.trainAccuracy());
        s.put("steps", c.globalStep());
        s.put("total_seconds", c.state().get(Trainer.ELAPSED));
        perClass(s, m);
        Json.writeAtomically(file, Json.pretty(s) + "\n");
    }

    @Override public void onRunEnd(TrainContext c, RunSummary r) {
        Map<String, Object> s = header(c);
        s.put("finished", true);
        s.put("epochs_done", r.epochs());
        s.put("epochs", r.epochs());
        s.put("final_test_acc", r.finalTestAccuracy());
        s.put("final_test_loss", r.finalTestLoss());
        if (last != null) s.put("final_test_top5", last.testTop5());
        s.put("best_test_acc", r.bestTestAccuracy());
        s.put("best_test_epoch", r.bestTestEpoch());
        s.put("final_val_acc", r.finalValAccuracy());
        s.put("best_val_acc", r.bestValAccuracy());
        s.put("final_train_loss", r.finalTrainLoss());
        s.put("final_train_acc", r.finalTrainAccuracy());
        s.put("steps", r.steps());
        s.put("total_seconds", r.totalSeconds());
        perClass(s, last);
        Json.writeAtomically(file, Json.pretty(s) + "\n");
    }

    /** Final top-1 test accuracy of each class (null: no test image of it). */
    private static void perClass(Map<String, Object> s, EpochMetrics m) {
        if (m == null || m.testPerClass() == null) return;
        java.util.List<Double> acc = new java.util.ArrayList<>();
        for (double a : m.testPerClass()) acc.add(Double.isNaN(a) ? null : a);
        s.put("final_test_acc_per_class", acc);
    }

    private static Map<String, Object> header(TrainContext c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", c.config().name);
        s.put("model", c.config().model);
        s.put("dataset", c.config().dataset);
        s.put("schedule", c.config().repr == null ? "standard" : c.config().repr.getOrDefault("schedule", "standard"));
        s.put("seed", c.config().seed);
        return s;
    }
}
