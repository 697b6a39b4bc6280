package org.reaper.study;

import java.nio.file.Path;
import org.reaper.repr.ReprOptions;
import org.reaper.train.RunConfig;

/** One run of a study (a variant and a seed in OUT/VARIANT/seedN) and what the study will do with it. */
public record StudyRun(Variant variant, int seed, Path dir, RunConfig config, ReprOptions repr, Action action) {
    public enum Action {
        /** A new run (or one that never finished an epoch). */
        TRAIN,
        /** Continue from its checkpoint with the same options. */
        RESUME,
        /** Finished with the same options: reused as it is. */
        DONE,
        /** Trained with other options and the study was told to replace it (--retrain). */
        RETRAIN
    }

    public String label() { return variant.folder() + "/seed" + seed; }

    public StudyRun with(Action a) { return new StudyRun(variant, seed, dir, config, repr, a); }
}
