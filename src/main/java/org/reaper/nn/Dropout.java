package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.DropoutFn;
import org.reaper.backend.Backend;
import org.reaper.rng.RandomStream;

/** Inverted dropout in training mode (mask drawn from the run's RandomStream); identity in evaluation. */
public final class Dropout extends Module {
    private final float p;
    private final RandomStream rng;

    public Dropout(Backend b, float p, RandomStream rng) {
        super(b);
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must lie in [0, 1), got " + p);
        this.p = p; this.rng = rng;
    }

    @Override public Variable forward(Variable x) {
        if (!isTraining() || p == 0f) return x;
        return DropoutFn.apply(backend, x, p, rng);
    }

    public float p() { return p; }
}
