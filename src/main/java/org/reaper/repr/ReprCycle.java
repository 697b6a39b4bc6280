package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.models.Model;
import org.reaper.nn.InitScheme;
import org.reaper.nn.PrunableConv;
import org.reaper.optim.Optimizer;
import org.reaper.rng.RandomStream;

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
        List<RankLayer> layers = new ArrayList<>();
        for (PrunableConv pc : convs) layers.add(new RankLayer(pc.name(), pc.conv().weight().value(), pc));
        List<LayerScores> scores = ranker.score(RankInput.weightsOnly(b, layers, rng.fork(1)));   // data criteria refuse, naming the fix
        DropPlan plan = FilterSelection.of(o).select(scores, ranker.dropHighest());
        List<FilterMask> masks = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            int[] idx = plan.layers().get(i).dropped();
            if (idx.length > 0) masks.add(FilterMask.drop(b, convs.get(i), idx, o, opt));
        }
        OrthogonalReinit reinit = OrthogonalReinit.of(o, scheme);
        RandomStream draws = rng.fork(2);
        int full = 0, filters = 0;
        for (DropPlan.LayerDrop l : plan.layers()) filters += l.filters();
        for (FilterMask mask : masks) {
            mask.release();
            full += reinit.apply(b, mask.layer().name(), mask.layer().conv(), mask.dropped(), mask.preDrop().weight(), draws).fullOrthogonal();
            if (!o.keepOptimState) mask.resetOptimizerState(opt);
            mask.close();
        }
        return new Outcome(plan.total(), filters, full);
    }
}
