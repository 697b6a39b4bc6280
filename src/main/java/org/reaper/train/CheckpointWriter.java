package org.reaper.train;

import java.nio.file.Path;

/**
 * Writes checkpoint.safetensors atomically at every epoch end (add it after listeners that change the model) and when
 * the run stops inside an epoch (then it holds the epochs completed so far and the trainer's place in the next).
 */
public final class CheckpointWriter implements TrainListener {
    private final Path file;

    public CheckpointWriter(Path runDir) { this.file = runDir.resolve(Checkpoints.FILE); }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) { Checkpoints.write(file, c, m.epoch() + 1); }

    @Override public void onStopInsideEpoch(TrainContext c) { Checkpoints.write(file, c, c.epoch()); }
}
