package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.autograd.Variable;
import org.reaper.nn.PrunableConv;
import org.reaper.tensor.Tensor;
import org.reaper.train.TrainContext;

/**
 * Data criteria on the filter's output map: {@code activation} = mean post-ReLU activation (the mean |a| of
 * the unit's ReLU output; the lowest are dropped) and {@code apoz} (Hu et al.) = the fraction of zeros after
 * the ReLU (the highest are dropped). The unit's output is the batch-norm output when the conv has one,
 * else the conv output; the ReLU is applied here (in ResNets the second conv of a block is added to the
 * shortcut before its ReLU, so there it is the unit's own contribution that is measured).
 */
public final class ActivationRanker implements FilterRanker {
    private final boolean apoz;

    public ActivationRanker(boolean apoz) { this.apoz = apoz; }

    @Override public String name() { return apoz ? "apoz" : "activation"; }

    @Override public boolean dropHighest() { return apoz; }

    @Override public List<LayerScores> score(RankInput in) {
        TrainContext ctx = in.requireContext(name());
        List<RankLayer> layers = in.layers();
        double[][] acc = new double[layers.size()][];
        long[] count = new long[layers.size()];
        for (int i = 0; i < layers.size(); i++) acc[i] = new double[layers.get(i).filters()];
        int seen = DataPasses.run(ctx, in.batches(), false, (fs, n) -> {
            for (int i = 0; i < layers.size(); i++) {
                PrunableConv pc = layers.get(i).conv();
                Variable unit = pc.bn() != null ? pc.bn().weight() : pc.conv().weight();
                Tensor y = TapeFunctions.outputOf(fs, unit);
                if (y == null) throw new IllegalStateException("no recorded output for layer " + pc.name());
                float[] a = in.backend().toHost(y);
                int c = y.dim(1), hw = y.numel() / (y.dim(0) * c);
                for (int s = 0; s < y.dim(0); s++)
                    for (int f = 0; f < c; f++) {
                        int off = (s * c + f) * hw;
                        double v = 0;
                        for (int k = off; k < off + hw; k++) {
                            float x = a[k];
                            if (apoz) { if (x <= 0f) v++; } else if (x > 0f) v += x;
                        }
                        acc[i][f] += v;
                    }
                count[i] += (long) y.dim(0) * hw;
            }
        });
        if (seen == 0) throw new org.reaper.ReaperException("criterion '" + name() + "' found no data batches to rank on");
        List<LayerScores> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            float[] s = new float[acc[i].length];
            for (int f = 0; f < s.length; f++) s[f] = (float) (acc[i][f] / count[i]);
            out.add(new LayerScores(layers.get(i).name(), layers.get(i).shape(), s));
        }
        return out;
    }
}
