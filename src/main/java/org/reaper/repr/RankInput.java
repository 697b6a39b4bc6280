package org.reaper.repr;

import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.rng.RandomStream;
import org.reaper.train.TrainContext;

/**
 * What a {@link FilterRanker} may read: the layers (always), and for data criteria the running training
 * context ({@code ctx}, null for weights read from a file) with the number of batches to use.
 * {@code rng} feeds the random criterion.
 */
public record RankInput(Backend backend, List<RankLayer> layers, TrainContext ctx, int batches, RandomStream rng) {

    /** Weights only (the {@code rank} command, tests). */
    public static RankInput weightsOnly(Backend backend, List<RankLayer> layers, RandomStream rng) {
        return new RankInput(backend, layers, null, 0, rng);
    }

    TrainContext requireContext(String criterion) {
        if (ctx == null || layers.stream().anyMatch(l -> l.conv() == null))
            throw new org.reaper.ReaperException("criterion '" + criterion + "' needs data and a model: use it in `train --schedule repr`, "
                    + "or rank a weights file with a weight criterion (ortho, ortho-official, weight-l1, weight-l2, random)");
        return ctx;
    }
}
