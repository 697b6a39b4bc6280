package org.reaper.optim;

/**
 * Triangular cyclic LR (the paper's ablation: start 0.001, amplitude 0.005, period 50 epochs):
 * rises linearly from baseLr to baseLr + amplitude over the first half of each period and falls
 * back over the second half.
 */
public record CyclicLr(float baseLr, float amplitude, double periodEpochs) implements LrSchedule {
    public CyclicLr {
        if (periodEpochs <= 0) throw new IllegalArgumentException("cyclic schedule needs a period > 0 epochs, got " + periodEpochs);
    }

    @Override public float lr(double epoch) {
        double phase = epoch / periodEpochs - Math.floor(epoch / periodEpochs);
        double tri = 1 - Math.abs(2 * phase - 1);
        return (float) (baseLr + amplitude * tri);
    }

    @Override public String describe() { return "cyclic(lr=" + baseLr + ", amplitude=" + amplitude + ", period=" + periodEpochs + ")"; }
}
