package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.nn.Parameter;
import org.reaper.nn.PrunableConv;
import org.reaper.train.TrainContext;

/**
 * Gradient criteria (smallest dropped), averaged over batches:
 * <ul>
 * <li>{@code gradient}: mean |dL/dW| over the filter's weights.</li>
 * <li>{@code taylor} (Molchanov et al. 2016): |mean over batch and positions of a * dL/da| for the unit's output a,
 * then L2-normalised per layer. It is computed exactly from parameter gradients: for a = BN output,
 * sum(a * dL/da) = gamma * dL/dgamma + beta * dL/dbeta; without BN, a = conv output and
 * sum(a * dL/da) = &lt;W_f, dL/dW_f&gt; + b_f * dL/db_f. When a ReLU directly follows, this equals the same sum on the
 * post-ReLU map (dL/da is zero where the ReLU is off). |.| is taken per batch, then averaged over batches.</li>
 * </ul>
 */
public final class GradientRanker implements FilterRanker {
    private final boolean taylor;

    public GradientRanker(boolean taylor) { this.taylor = taylor; }

    @Override public String name() { return taylor ? "taylor" : "gradient"; }

    @Override public boolean dropHighest() { return false; }

    @Override public List<LayerScores> score(RankInput in) {
        TrainContext ctx = in.requireContext(name());
        Backend b = in.backend();
        List<RankLayer> layers = in.layers();
        double[][] acc = new double[layers.size()][];
        for (int i = 0; i < layers.size(); i++) acc[i] = new double[layers.get(i).filters()];
        int seen = DataPasses.run(ctx, in.batches(), true, (fs, n) -> {
            for (int i = 0; i < layers.size(); i++) {
                PrunableConv pc = layers.get(i).conv();
                if (taylor) addTaylor(b, pc, acc[i]);
                else addMeanAbs(b, pc.conv().weight(), acc[i]);
            }
        });
        if (seen == 0) throw new org.reaper.ReaperException("criterion '" + name() + "' found no data batches to rank on");
        List<LayerScores> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            double norm = 0;
            for (double v : acc[i]) norm += v * v;
            norm = Math.sqrt(norm);
            float[] s = new float[acc[i].length];
            for (int f = 0; f < s.length; f++) s[f] = (float) (taylor ? (norm > 0 ? acc[i][f] / norm : 0) : acc[i][f] / seen);
            out.add(new LayerScores(layers.get(i).name(), layers.get(i).shape(), s));
        }
        return out;
    }

    private static void addMeanAbs(Backend b, Parameter w, double[] acc) {
        float[] g = host(b, w);
        int j = acc.length, d = g.length / j;
        for (int f = 0; f < j; f++) {
            double s = 0;
            for (int k = f * d; k < (f + 1) * d; k++) s += Math.abs(g[k]);
            acc[f] += s / d;
        }
    }

    private static void addTaylor(Backend b, PrunableConv pc, double[] acc) {
        int j = acc.length;
        double[] t = new double[j];
        if (pc.bn() != null) {
            dot(b, pc.bn().weight(), t);
            dot(b, pc.bn().bias(), t);
        } else {
            dot(b, pc.conv().weight(), t);
            if (pc.conv().bias() != null) dot(b, pc.conv().bias(), t);
        }
        for (int f = 0; f < j; f++) acc[f] += Math.abs(t[f]);
    }

    /** t[f] += sum over row f of value * grad. */
    private static void dot(Backend b, Parameter p, double[] t) {
        float[] v = b.toHost(p.value()), g = host(b, p);
        int d = v.length / t.length;
        for (int f = 0; f < t.length; f++)
            for (int k = f * d; k < (f + 1) * d; k++) t[f] += (double) v[k] * g[k];
    }

    private static float[] host(Backend b, Parameter p) {
        return p.grad() == null ? new float[p.value().numel()] : b.toHost(p.grad());
    }
}
