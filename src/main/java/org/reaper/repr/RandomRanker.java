package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.rng.Philox;

/** Uniform random scores from the run's Philox stream (seeded, reproducible); the lowest are dropped. */
public final class RandomRanker implements FilterRanker {
    @Override public String name() { return "random"; }

    @Override public boolean dropHighest() { return false; }

    @Override public List<LayerScores> score(RankInput in) {
        List<LayerScores> out = new ArrayList<>();
        for (RankLayer l : in.layers()) {
            int j = l.filters();
            long offset = in.rng().reserve(Philox.blocksForUniform(j));
            float[] s = new float[j];
            for (int f = 0; f < j; f++) s[f] = Philox.uniform(in.rng().seed(), offset, f);
            out.add(new LayerScores(l.name(), l.shape(), s));
        }
        return out;
    }
}
