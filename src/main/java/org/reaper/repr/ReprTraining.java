package org.reaper.repr;

import java.nio.file.Path;
import org.reaper.train.RunConfig;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.TrainRun;

/** Entry points the training command uses to add RePr to a run. */
public final class ReprTraining {
    private ReprTraining() {}

    /** A run of {@code config} in {@code dir} with the RePr listener when {@code o} turns the schedule on. */
    public static TrainRun trainRun(RunConfig config, ReprOptions o, Path dir) {
        return new TrainRun(config, dir).first(ctx -> listener(o, ctx));
    }

    /**
     * The RePr listener for a run, or null for the standard schedule. Add it before the metrics and
     * checkpoint writers (it changes the model at epoch ends and adds metrics columns). A run with a folder
     * also keeps each cycle's weights before the drop and after the re-initialisation ({@link CycleSnapshots}).
     */
    public static TrainListener listener(ReprOptions o, TrainContext ctx) {
        if (o == null || !o.enabled()) return null;
        ReprListener repr = new ReprListener(o);
        if (ctx.runDir() == null) return repr;
        TrainListener snapshots = new CycleSnapshots(repr);
        return o.scoreCriteria ? new CriteriaScoring(o, repr, snapshots) : snapshots;
    }
}
