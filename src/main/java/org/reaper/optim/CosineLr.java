package org.reaper.optim;

/** Cosine annealing from baseLr (epoch 0) to minLr (epoch totalEpochs and after), continuous in the epoch. */
public record CosineLr(float baseLr, double totalEpochs, float minLr) implements LrSchedule {
    public CosineLr {
        if (totalEpochs <= 0) throw new IllegalArgumentException("cosine schedule needs totalEpochs > 0, got " + totalEpochs);
    }

    @Override public float lr(double epoch) {
        double t = Math.min(Math.max(epoch / totalEpochs, 0.0), 1.0);
        return (float) (minLr + (baseLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    @Override public String describe() { return "cosine(lr=" + baseLr + ", epochs=" + totalEpochs + ", min=" + minLr + ")"; }
}
