package org.reaper.optim;

/** Learning rate as a function of training progress (epoch is 0-based; fractional within an epoch). */
public interface LrSchedule {
    float lr(double epoch);

    /** A one-line description for config.json and logs. */
    String describe();
}
