package org.reaper.train;

/**
 * Mean cross-entropy loss, top-1 and top-5 accuracy (fractions in [0, 1]) over {@code count} images, and the
 * top-1 accuracy of each class ({@code perClass[c]}; NaN for a class without images; null when not measured).
 */
public record EvalResult(double loss, double accuracy, int count, double top5, double[] perClass) {
    /** For a run without that split (e.g. no validation set). */
    public static final EvalResult NONE = new EvalResult(Double.NaN, Double.NaN, 0);

    public EvalResult(double loss, double accuracy, int count) { this(loss, accuracy, count, Double.NaN, null); }
}
