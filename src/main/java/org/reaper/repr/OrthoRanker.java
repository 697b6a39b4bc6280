package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.backend.OrthoOptions;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Inter-filter orthogonality (the paper's metric and the official code's variant, see {@link OrthoOptions}),
 * computed by {@link Backend#orthoScores} on the training device. The most overlapping filters (highest O) are dropped.
 */
public final class OrthoRanker implements FilterRanker {
    private final OrthoOptions options;

    public OrthoRanker(OrthoOptions options) { this.options = options; }

    public OrthoOptions options() { return options; }

    @Override public String name() {
        return options.equals(OrthoOptions.PAPER) ? "ortho" : "ortho(" + options.normalization() + ", abs " + (options.absPerElement() ? "per element" : "after mean") + ")";
    }

    @Override public boolean dropHighest() { return true; }

    @Override public List<LayerScores> score(RankInput in) {
        List<LayerScores> out = new ArrayList<>();
        for (RankLayer l : in.layers()) out.add(new LayerScores(l.name(), l.shape(), scores(in.backend(), l.weight(), options)));
        return out;
    }

    /** The J scores of one layer whose filters are the rows of {@code weight}. */
    public static float[] scores(Backend b, Tensor weight, OrthoOptions options) {
        try (TensorScope s = TensorScope.open()) {
            Tensor sc = b.empty(Shape.of(weight.dim(0)));
            b.orthoScores(weight, options, sc);
            return b.toHost(sc);
        }
    }
}
