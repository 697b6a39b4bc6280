package org.reaper.train;

/** Mean cross-entropy loss and top-1 accuracy (a fraction in [0, 1]) over {@code count} images. */
public record EvalResult(double loss, double accuracy, int count) {
    /** For a run without that split (e.g. no validation set). */
    public static final EvalResult NONE = new EvalResult(Double.NaN, Double.NaN, 0);
}
