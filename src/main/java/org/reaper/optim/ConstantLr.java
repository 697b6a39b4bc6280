package org.reaper.optim;

public record ConstantLr(float lr) implements LrSchedule {
    @Override public float lr(double epoch) { return lr; }
    @Override public String describe() { return "constant(lr=" + lr + ")"; }
}
