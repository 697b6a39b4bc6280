package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.data.ImageDataset;
import org.reaper.nn.Parameter;
import org.reaper.nn.PrunableConv;
import org.reaper.tensor.Tensor;
import org.reaper.train.TrainContext;

/**
 * The greedy oracle of the paper's Fig. 1: silence one filter at a time (weights, bias and, with batch norm,
 * gamma and beta set to zero, so the unit outputs zero) and measure the drop of accuracy on held-out images
 * (the validation split, else the training split; the first {@code batches * batch} images). The filters whose
 * removal costs least are dropped. Costs one evaluation per filter.
 */
public final class OracleRanker implements FilterRanker {
    private ImageDataset subset;

    public OracleRanker() {}

    /** An oracle measured on all of {@code images} (e.g. the test split) instead of the first rank batches. */
    public static OracleRanker on(ImageDataset images) {
        OracleRanker r = new OracleRanker();
        r.subset = images;
        return r;
    }

    @Override public String name() { return "oracle"; }

    @Override public boolean dropHighest() { return false; }

    @Override public List<LayerScores> score(RankInput in) {
        TrainContext ctx = in.requireContext(name());
        Backend b = in.backend();
        if (subset == null) {
            ImageDataset src = DataPasses.source(ctx);
            int n = (int) Math.min(src.size(), (long) in.batches() * ctx.config().batch);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            subset = src.subset(idx, "oracle images (" + n + " of " + src.description() + ")");
        }
        double base = ctx.evaluate(subset).accuracy();
        List<LayerScores> out = new ArrayList<>();
        for (RankLayer l : in.layers()) {
            PrunableConv pc = l.conv();
            List<Parameter> unit = new ArrayList<>(List.of(pc.conv().weight()));
            if (pc.conv().bias() != null) unit.add(pc.conv().bias());
            if (pc.bn() != null) { unit.add(pc.bn().weight()); unit.add(pc.bn().bias()); }
            List<float[]> saved = new ArrayList<>();
            for (Parameter p : unit) saved.add(b.toHost(p.value()));
            float[] s = new float[l.filters()];
            for (int f = 0; f < s.length; f++) {
                for (int i = 0; i < unit.size(); i++) upload(b, unit.get(i).value(), zeroRow(saved.get(i), s.length, f));
                s[f] = (float) (base - ctx.evaluate(subset).accuracy());
                for (int i = 0; i < unit.size(); i++) b.upload(saved.get(i), unit.get(i).value());
            }
            out.add(new LayerScores(l.name(), l.shape(), s));
        }
        return out;
    }

    private static float[] zeroRow(float[] all, int rows, int f) {
        float[] c = all.clone();
        int d = c.length / rows;
        java.util.Arrays.fill(c, f * d, (f + 1) * d, 0f);
        return c;
    }

    private static void upload(Backend b, Tensor t, float[] v) { b.upload(v, t); }
}
