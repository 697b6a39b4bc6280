package org.reaper.train;

/**
 * Observes a {@link Trainer}; every method is an optional no-op hook. The Trainer knows no listener by name.
 *
 * <p><b>Ordering rule:</b> listeners are called in the order they were added, for every hook. Add
 * listeners that change the model at epoch ends (RePr: rank, drop, re-initialise) <i>before</i> the
 * metrics and checkpoint writers, so that metrics rows carry their {@link EpochMetrics#extra()}
 * columns and a checkpoint holds the post-drop state. The CLI adds: RePr (if any), metrics, summary,
 * checkpoint, curves, progress.
 *
 * <p><b>Resume:</b> anything a listener needs to continue a killed run exactly must live in
 * {@link TrainContext#state()} (JSON-serialisable values); it is saved in every checkpoint and
 * restored before {@link #onRunStart} when a run is resumed ({@link TrainContext#resumed()}).
 */
public interface TrainListener {
    /** Once, before the first epoch to run (on resume: after model, optimizer, RNG and state were restored). */
    default void onRunStart(TrainContext c) {}

    /** Before the first step of {@code epoch} (0-based; equals {@code c.epoch()}); the LR for the epoch is set. */
    default void onEpochStart(TrainContext c, int epoch) {}

    /** After backward of a step: every parameter's gradient exists; the optimizer has not stepped yet. */
    default void afterBackward(TrainContext c) {}

    /** After the optimizer step (e.g. re-zero dropped weights so momentum and weight decay cannot move them). */
    default void afterOptimizerStep(TrainContext c) {}

    /**
     * After the epoch's training and evaluation. Listeners may change the model here (the change is seen by
     * later listeners and the checkpoint), set the phase for the next epoch, and add columns via {@code m.extra()}.
     */
    default void onEpochEnd(TrainContext c, EpochMetrics m) {}

    /**
     * The run stops before step {@code c.stepInEpoch()} of epoch {@code c.epoch()} on request (a signal, see
     * {@link GracefulStop}); the trainer's place is in {@code c.state()}. {@link #onEpochEnd} is not called for this
     * epoch, and on resume neither is {@link #onEpochStart}: the epoch continues where it stopped.
     */
    default void onStopInsideEpoch(TrainContext c) {}

    /** Once, after the last epoch (not called when training stopped with an error or a stop request). */
    default void onRunEnd(TrainContext c, RunSummary s) {}
}
