package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.models.Model;
import org.reaper.nn.Init;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Persistent;
import org.reaper.nn.PrunableConv;
import org.reaper.optim.Optimizer;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Tensor;

/**
 * One RePr cycle on a model outside the trainer, with a weight criterion: rank, select, drop (masks,
 * optimizer state), then release and re-initialise, as {@link ReprListener} does at the ends of S1 and
 * S2 but without the S2 training between them. For timing a cycle ({@code reaper bench --repr-cycle})
 * and for checking what a cycle moves between host and device.
 */
public final class ReprCycle {
    /** Filters dropped (and re-initialised) of all filters, and how many came out fully orthogonal. */
    public record Outcome(int dropped, int filters, int fullOrthogonal) {}

    private ReprCycle() {}

    public static Outcome run(Backend b, Model m, ReprOptions o, Optimizer opt, InitScheme scheme, RandomStream rng) {
        FilterRanker ranker = FilterRanker.of(o);
        List<PrunableConv> convs = m.prunableConvs();
        List<LayerScores> scores = ranker.score(RankInput.weightsOnly(b, rankLayers(convs), rng.fork(1)));   // data criteria refuse, naming the fix
        DropPlan plan = FilterSelection.of(o).select(scores, ranker.dropHighest());
        List<FilterMask> masks = dropAll(b, convs, plan, o, opt);
        OrthogonalReinit reinit = OrthogonalReinit.of(o, scheme);
        RandomStream draws = rng.fork(2);
        int full = 0, filters = 0;
        for (DropPlan.LayerDrop l : plan.layers()) filters += l.filters();
        for (FilterMask mask : masks) full += reinitialise(b, mask, reinit, o, opt, scheme, draws).fullOrthogonal();
        return new Outcome(plan.total(), filters, full);
    }

    /** The conv layers as the rankers see them. */
    static List<RankLayer> rankLayers(List<PrunableConv> convs) {
        List<RankLayer> layers = new ArrayList<>();
        for (PrunableConv pc : convs) layers.add(new RankLayer(pc.name(), pc.conv().weight().value(), pc));
        return layers;
    }

    /** The end of S1: a mask per layer with drops (pre-drop values saved, rows zeroed, optimizer state reset unless kept). */
    static List<FilterMask> dropAll(Backend b, List<PrunableConv> convs, DropPlan plan, ReprOptions o, Optimizer opt) {
        List<FilterMask> masks = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            int[] idx = plan.layers().get(i).dropped();
            if (idx.length > 0) masks.add(FilterMask.drop(b, convs.get(i), idx, o, opt));
        }
        return masks;
    }

    /** The end of S2 for one layer: release the mask, write the new filters, reset optimizer state, next layer as the option says. */
    static OrthogonalReinit.LayerReport reinitialise(Backend b, FilterMask m, OrthogonalReinit reinit, ReprOptions o, Optimizer opt,
                                                     InitScheme scheme, RandomStream rng) {
        PrunableConv pc = m.layer();
        m.release();
        OrthogonalReinit.LayerReport r = reinit.apply(b, pc.name(), pc.conv(), m.dropped(), m.preDrop().weight(), rng);
        if (!o.keepOptimState) m.resetOptimizerState(opt);
        if (o.nextLayer == ReprOptions.NextLayer.RANDOM) randomiseNextLayer(b, pc, m.dropped(), rng, scheme);
        m.close();
        return r;
    }

    /** Fresh default-init values for the next layer's input channels that read the re-initialised filters. */
    private static void randomiseNextLayer(Backend b, PrunableConv pc, int[] dropped, RandomStream rng, InitScheme scheme) {
        Tensor w;
        int fanIn, fanOut, per;
        if (pc.nextConv() != null) {
            w = pc.nextConv().weight().value(); fanIn = pc.nextConv().fanIn(); fanOut = pc.nextConv().fanOut();
            per = pc.nextConv().kernel() * pc.nextConv().kernel();
        } else if (pc.nextLinear() != null) {
            w = pc.nextLinear().weight().value(); fanIn = pc.nextLinear().inFeatures(); fanOut = pc.nextLinear().outFeatures();
            per = pc.nextLinearSpatial();
        } else {
            return;
        }
        Tensor fresh = Persistent.empty(b, w.shape());
        try {
            Init.initLayer(b, scheme, rng, fresh, null, fanIn, fanOut);
            float[] v = b.toHost(w), f = b.toHost(fresh);
            int channels = pc.conv().outChannels(), outs = w.dim(0);
            for (int o = 0; o < outs; o++)
                for (int c : dropped) {
                    int off = (o * channels + c) * per;
                    System.arraycopy(f, off, v, off, per);
                }
            b.upload(v, w);
        } finally {
            fresh.close();
        }
    }
}
