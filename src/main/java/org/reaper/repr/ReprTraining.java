package org.reaper.repr;

import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;

/** Entry points the training command uses to add RePr to a run. */
public final class ReprTraining {
    private ReprTraining() {}

    /**
     * The RePr listener for a run, or null for the standard schedule. Add it before the metrics and
     * checkpoint writers (it changes the model at epoch ends and adds metrics columns).
     */
    public static TrainListener listener(ReprOptions o, TrainContext ctx) {
        if (o == null || !o.enabled()) return null;
        return new ReprListener(o);
    }
}
