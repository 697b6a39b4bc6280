package org.reaper.optim;

import java.util.Arrays;

/** Staircase: baseLr * gamma^(number of milestones <= the current whole epoch), as PyTorch's MultiStepLR. */
public record MultiStepLr(float baseLr, int[] milestones, float gamma) implements LrSchedule {
    public MultiStepLr {
        milestones = milestones.clone();
        Arrays.sort(milestones);
    }

    @Override public float lr(double epoch) {
        long e = (long) Math.floor(epoch);
        double lr = baseLr;
        for (int m : milestones) if (m <= e) lr *= gamma;
        return (float) lr;
    }

    @Override public String describe() { return "multistep(lr=" + baseLr + ", milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma + ")"; }
}
