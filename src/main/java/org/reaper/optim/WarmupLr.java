package org.reaper.optim;

/**
 * Linear warm-up in front of another schedule: for epoch < warmupEpochs the inner LR is multiplied
 * by a factor rising linearly from startFactor (epoch 0) to 1 (epoch warmupEpochs).
 */
public record WarmupLr(LrSchedule inner, double warmupEpochs, float startFactor) implements LrSchedule {
    @Override public float lr(double epoch) {
        if (warmupEpochs <= 0 || epoch >= warmupEpochs) return inner.lr(epoch);
        double f = startFactor + (1 - startFactor) * Math.max(epoch, 0) / warmupEpochs;
        return (float) (inner.lr(epoch) * f);
    }

    @Override public String describe() { return "warmup(epochs=" + warmupEpochs + ", start=" + startFactor + ") then " + inner.describe(); }
}
