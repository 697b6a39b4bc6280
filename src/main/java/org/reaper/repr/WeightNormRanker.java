package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;

/** Han et al.: the L1 or L2 norm of each filter's weights; the smallest are dropped. Data-free. */
public final class WeightNormRanker implements FilterRanker {
    private final int p;

    public WeightNormRanker(int p) {
        if (p != 1 && p != 2) throw new IllegalArgumentException("p must be 1 or 2");
        this.p = p;
    }

    @Override public String name() { return "weight-l" + p; }

    @Override public boolean dropHighest() { return false; }

    @Override public List<LayerScores> score(RankInput in) {
        List<LayerScores> out = new ArrayList<>();
        for (RankLayer l : in.layers()) {
            float[] w = in.backend().toHost(l.weight());
            int j = l.filters(), d = w.length / j;
            float[] s = new float[j];
            for (int f = 0; f < j; f++) {
                double acc = 0;
                for (int k = f * d; k < (f + 1) * d; k++) acc += p == 1 ? Math.abs(w[k]) : (double) w[k] * w[k];
                s[f] = (float) (p == 1 ? acc : Math.sqrt(acc));
            }
            out.add(new LayerScores(l.name(), l.shape(), s));
        }
        return out;
    }
}
