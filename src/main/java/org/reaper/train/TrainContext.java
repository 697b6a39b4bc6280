package org.reaper.train;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.reaper.backend.Backend;
import org.reaper.data.Batch;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.nn.Module;
import org.reaper.optim.LrSchedule;
import org.reaper.optim.Optimizer;
import org.reaper.rng.RandomStream;

/**
 * What a {@link TrainListener} sees of a running {@link Trainer}: the model and its optimizer, the data,
 * the position in the run, and a checkpointed place for the listener's own state.
 */
public interface TrainContext {
    Backend backend();

    /** The model being trained (RePr casts to the models package's prunable view when it needs layer structure). */
    Module model();

    Optimizer optimizer();

    LrSchedule schedule();

    ImageDataset trainSet();

    /** The held-out validation split of the training set, or null when the run has none (--val 0). */
    ImageDataset valSet();

    ImageDataset testSet();

    /** The per-channel normalisation applied to every split (computed from the training split). */
    Normalization normalization();

    /** The current epoch, 0-based (during {@code onEpochEnd}: the epoch that just ended). */
    int epoch();

    int totalEpochs();

    /** Training steps per epoch (after --max-steps-per-epoch). */
    int stepsPerEpoch();

    /** Steps completed in the current epoch (1 after the first step's optimizer update). */
    int stepInEpoch();

    /** Optimizer steps completed in the whole run (equals {@code optimizer().stepCount()}). */
    long globalStep();

    /** The loss of the last step (NaN before the first). */
    double lastLoss();

    /** The phase label written in each metrics row: "full" unless a listener sets another (e.g. "pruned"). */
    String phase();

    /** Sets the phase for the following epochs; persisted across resume. */
    void setPhase(String phase);

    /** The run folder (runs/NAME), or null for a run that writes no files. */
    Path runDir();

    RunConfig config();

    /** The run's random stream (model init, dropout, RePr draws); its offset is checkpointed. */
    RandomStream rng();

    /**
     * A place for listener state that must survive a resume: values must be JSON-serialisable (numbers,
     * strings, booleans, lists, maps). Saved in every checkpoint's metadata and restored before
     * {@link TrainListener#onRunStart}. Prefix keys with the listener's name ("repr.cycle").
     */
    Map<String, Object> state();

    /** True when this run continues a checkpoint (--resume). */
    boolean resumed();

    /** Asks the trainer to stop cleanly after the current epoch's listeners ran (the checkpoint is written). */
    void requestStop();

    /**
     * Loss and accuracy of the model on {@code data} in evaluation mode without gradients (normalised,
     * not augmented). Restores the model's training mode afterwards.
     */
    EvalResult evaluate(ImageDataset data);

    /**
     * Up to {@code batches} normalised, unaugmented batches of {@code data} (batch size = the run's --batch)
     * in a fixed order (the first images), for data-dependent rankers. A batch holds host arrays and is valid
     * until the iterator's next {@code next()}; upload it with {@code backend().fromHost(...)}.
     */
    Iterator<Batch> sampleBatches(ImageDataset data, int batches);
}
