package org.reaper.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of metrics.jsonl / metrics.csv. {@code epoch} is 0-based like {@link TrainContext#epoch()};
 * the files write {@code epoch + 1} (the number of completed epochs). Accuracies are fractions in [0, 1];
 * val values are NaN when the run has no validation split. {@code phase} is the phase the epoch was
 * trained in ("full" unless a listener said otherwise). Listeners may add columns to {@link #extra()}
 * in {@link TrainListener#onEpochEnd} (values: numbers, strings, booleans, or JSON-serialisable maps/lists).
 */
public final class EpochMetrics {
    private final int epoch;
    private final String phase;
    private final double lr;
    private final double trainLoss, trainAccuracy;
    private final double valLoss, valAccuracy;
    private final double testLoss, testAccuracy;
    private final double valTop5, testTop5;
    private final double[] testPerClass;
    private final double seconds, imagesPerSecond, loaderWaitSeconds;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public EpochMetrics(int epoch, String phase, double lr, double trainLoss, double trainAccuracy,
                        EvalResult val, EvalResult test, double seconds, double imagesPerSecond) {
        this(epoch, phase, lr, trainLoss, trainAccuracy, val, test, seconds, imagesPerSecond, Double.NaN);
    }

    /** {@code loaderWaitSeconds}: how long the training steps waited for the loader's next batch (NaN: not measured). */
    public EpochMetrics(int epoch, String phase, double lr, double trainLoss, double trainAccuracy,
                        EvalResult val, EvalResult test, double seconds, double imagesPerSecond, double loaderWaitSeconds) {
        this.epoch = epoch;
        this.phase = phase;
        this.lr = lr;
        this.trainLoss = trainLoss;
        this.trainAccuracy = trainAccuracy;
        this.valLoss = val.loss();
        this.valAccuracy = val.accuracy();
        this.testLoss = test.loss();
        this.testAccuracy = test.accuracy();
        this.valTop5 = val.top5();
        this.testTop5 = test.top5();
        this.testPerClass = test.perClass() == null ? null : test.perClass().clone();
        this.seconds = seconds;
        this.imagesPerSecond = imagesPerSecond;
        this.loaderWaitSeconds = loaderWaitSeconds;
    }

    public int epoch() { return epoch; }
    public String phase() { return phase; }
    /** The learning rate at the start of the epoch. */
    public double lr() { return lr; }
    public double trainLoss() { return trainLoss; }
    public double trainAccuracy() { return trainAccuracy; }
    public double valLoss() { return valLoss; }
    public double valAccuracy() { return valAccuracy; }
    public double testLoss() { return testLoss; }
    public double testAccuracy() { return testAccuracy; }
    public double valTop5() { return valTop5; }
    public double testTop5() { return testTop5; }
    /** Top-1 accuracy of each class on the test set (NaN: no image of it); null when not measured. */
    public double[] testPerClass() { return testPerClass == null ? null : testPerClass.clone(); }
    /** Wall time of the epoch's training steps (evaluation excluded). */
    public double seconds() { return seconds; }
    /** Training throughput of the epoch. */
    public double imagesPerSecond() { return imagesPerSecond; }
    /**
     * Of {@link #seconds()}, the time the training loop was blocked waiting for the loader's next batch (none was
     * ready): near 0 when data loading keeps ahead of the steps; NaN when not measured. On the progress line, not a
     * metrics.csv column (the columns stay as they were). An epoch resumed inside counts only its resumed part.
     */
    public double loaderWaitSeconds() { return loaderWaitSeconds; }
    /** Extra columns added by listeners, in insertion order. */
    public Map<String, Object> extra() { return extra; }

    /** The row as written to metrics.jsonl: fixed columns first (epoch 1-based), then the extra ones. */
    public Map<String, Object> toRow() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch + 1);
        row.put("phase", phase);
        row.put("lr", lr);
        row.put("train_loss", trainLoss);
        row.put("train_acc", trainAccuracy);
        row.put("val_loss", valLoss);
        row.put("val_acc", valAccuracy);
        row.put("test_loss", testLoss);
        row.put("test_acc", testAccuracy);
        row.put("seconds", seconds);
        row.put("images_per_s", imagesPerSecond);
        row.put("val_top5", valTop5);     // after the established columns, so scripts reading them by position keep working
        row.put("test_top5", testTop5);
        row.putAll(extra);
        return row;
    }
}
