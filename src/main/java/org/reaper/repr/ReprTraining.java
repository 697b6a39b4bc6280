package org.reaper.repr;

import org.reaper.nn.Prunable;
import org.reaper.train.EpochMetrics;
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

    /**
     * For standard runs: adds the network's {@code ortho_sum} to every metrics row, so standard and RePr runs can be
     * compared (the paper's ortho-sum figure). Not needed when {@link #listener} returned a listener.
     */
    public static TrainListener orthoSumOnly() {
        return new TrainListener() {
            @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
                if (c.model() instanceof Prunable p) m.extra().put("ortho_sum", ReprListener.orthoSum(c.backend(), p.prunableConvs()));
            }
        };
    }
}
