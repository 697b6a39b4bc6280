package org.reaper.repr;

import java.util.List;

/**
 * Scores every filter of every conv layer. {@link #dropHighest()} says which end of the ranking is
 * dropped: true for ortho (the most overlapping filters) and APoZ (the most often dead), false for the
 * importance criteria (weights, activations, gradients, Taylor, oracle: the least important go).
 */
public interface FilterRanker {
    /** The criterion's command-line name. */
    String name();

    boolean dropHighest();

    /** One {@link LayerScores} per layer of {@code in}, in the same order. */
    List<LayerScores> score(RankInput in);

    /** The ranker for a criterion and its options. */
    static FilterRanker of(ReprOptions o) {
        return switch (o.criterion) {
            case ORTHO, ORTHO_OFFICIAL -> new OrthoRanker(o.orthoOptions());
            case WEIGHT_L1 -> new WeightNormRanker(1);
            case WEIGHT_L2 -> new WeightNormRanker(2);
            case RANDOM -> new RandomRanker();
            case ACTIVATION -> new ActivationRanker(false);
            case APOZ -> new ActivationRanker(true);
            case GRADIENT -> new GradientRanker(false);
            case TAYLOR -> new GradientRanker(true);
            case ORACLE -> new OracleRanker();
        };
    }
}
