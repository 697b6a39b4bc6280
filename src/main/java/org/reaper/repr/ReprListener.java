package org.reaper.repr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.OrthoOptions;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Prunable;
import org.reaper.nn.PrunableConv;
import org.reaper.rng.RandomStream;
import org.reaper.train.EpochMetrics;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;

/**
 * Runs Algorithm 1 inside a training run (see {@link ReprSchedule} for the epochs): at the end of epoch
 * S1 - 1 of each cycle it ranks, drops and sets the phase "pruned"; during the phase it masks gradients after
 * backward and re-writes the dropped rows after every optimizer step; at the end of the phase it re-initialises
 * and sets the phase back to "full". Adds {@code ortho_sum} and {@code dropped} to every metrics row, logs to
 * repr.jsonl, draws drops.png and ortho_sum.png at the end. Its state lives in {@code ctx.state()} (resumable).
 */
public final class ReprListener implements TrainListener {
    private static final long RNG_LABEL = 0x5E9A_0000L;

    private final ReprOptions o;
    private final ReprSchedule schedule;
    private final FilterRanker ranker;
    private final FilterSelection selection;
    private final List<FilterMask> masks = new ArrayList<>();
    private List<PrunableConv> convs;
    private ReprState state;
    private ReprLog log;
    private OrthogonalReinit reinit;
    private final List<OrthogonalReinit.LayerReport> lastReinit = new ArrayList<>();

    public ReprListener(ReprOptions o) {
        o.validate();
        this.o = o;
        this.schedule = ReprSchedule.of(o);
        this.ranker = FilterRanker.of(o);
        this.selection = FilterSelection.of(o);
    }

    public ReprSchedule schedule() { return schedule; }

    /** Masks of the current pruned phase (empty in full phases). */
    public List<FilterMask> masks() { return List.copyOf(masks); }

    /** Per-layer reports of the latest re-initialisation. */
    public List<OrthogonalReinit.LayerReport> lastReinit() { return List.copyOf(lastReinit); }

    @Override public void onRunStart(TrainContext c) {
        if (!(c.model() instanceof Prunable p))
            throw new ReaperException("RePr needs a model with prunable conv layers; " + c.model().getClass().getSimpleName() + " has none");
        convs = p.prunableConvs();
        if (convs.isEmpty()) throw new ReaperException("RePr: the model has no conv layers to prune");
        reinit = OrthogonalReinit.of(o, InitScheme.parse(c.config().init));
        log = new ReprLog(c.runDir());
        state = ReprState.load(c.state());
        if (state.pruned) {
            for (PrunableConv pc : convs) {
                ReprState.LayerState ls = state.layers.get(pc.name());
                if (ls != null && ls.dropped.length > 0)
                    masks.add(FilterMask.attach(c.backend(), pc, ls.dropped, o, ReprState.preDrop(c.backend(), ls, pc.conv().fanIn())));
            }
        }
        if (!c.resumed()) {
            Map<String, Object> e = event("config", -1);
            e.put("options", o.effective());
            e.put("pruned_epochs", prunedRanges(c.totalEpochs()));
            log.write(e);
        }
        c.setPhase(schedule.phase(c.epoch()));
    }

    @Override public void afterBackward(TrainContext c) { for (FilterMask m : masks) m.maskGradients(); }

    @Override public void afterOptimizerStep(TrainContext c) { for (FilterMask m : masks) m.enforce(); }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
        int epoch = m.epoch();
        double orthoSum = orthoSum(c.backend(), convs);
        m.extra().put("ortho_sum", orthoSum);
        m.extra().put("dropped", masks.stream().mapToInt(f -> f.dropped().length).sum());
        Map<String, Object> e = event("epoch", epoch);
        e.put("phase", m.phase());
        e.put("ortho_sum", orthoSum);
        log.write(e);
        int k = schedule.reinitAfter(epoch);
        if (k >= 0 && state.pruned && epoch + 1 < c.totalEpochs()) reinitialise(c, k, epoch);   // not after the last epoch: keep the evaluated network
        k = schedule.dropAfter(epoch);
        if (k >= 0 && epoch + 1 < c.totalEpochs() && !state.pruned) drop(c, k, epoch);
        c.setPhase(schedule.phase(epoch + 1));
        // the pre-drop values travel to the host only here, with the checkpoint, never inside a cycle
        state.layers.clear();
        for (FilterMask f : masks) state.layers.put(f.layer().name(), ReprState.of(c.backend(), f));
        state.save(c.state());
    }

    @Override public void onRunEnd(TrainContext c, RunSummary s) {
        if (c.runDir() != null) ReprPlots.write(c.runDir());
    }

    /** Ranks, selects and drops (public for tests and tools). */
    public DropPlan drop(TrainContext c, int cycle, int epoch) {
        Backend b = c.backend();
        RandomStream rng = c.rng().fork(RNG_LABEL + 2L * cycle);
        List<LayerScores> scores = ranker.score(new RankInput(b, ReprCycle.rankLayers(convs), c, o.rankBatches, rng));
        DropPlan plan = selection.select(scores, ranker.dropHighest());
        state.layers.clear();
        masks.addAll(ReprCycle.dropAll(b, convs, plan, o, c.optimizer()));
        state.pruned = true;
        state.drops = cycle + 1;
        Map<String, Object> e = event("drop", epoch);
        e.put("cycle", cycle + 1);
        e.put("criterion", ranker.name());
        e.put("drop_highest", ranker.dropHighest());
        e.put("total_dropped", plan.total());
        e.put("total_filters", plan.layers().stream().mapToInt(DropPlan.LayerDrop::filters).sum());
        List<Map<String, Object>> ls = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", convs.get(i).name());
            l.put("filters", plan.layers().get(i).filters());
            l.put("count", plan.layers().get(i).count());
            l.put("dropped", plan.layers().get(i).dropped());
            l.put("histogram", ReprLog.histogram(scores.get(i).scores()));
            ls.add(l);
        }
        e.put("layers", ls);
        log.write(e);
        return plan;
    }

    /** Ends the pruned phase: release the masks, write new filters, reset BN and optimizer state rows. */
    public void reinitialise(TrainContext c, int cycle, int epoch) {
        Backend b = c.backend();
        lastReinit.clear();
        RandomStream rng = c.rng().fork(RNG_LABEL + 2L * cycle + 1);
        List<Map<String, Object>> ls = new ArrayList<>();
        int full = 0, total = 0;
        for (FilterMask m : masks) {
            OrthogonalReinit.LayerReport r = ReprCycle.reinitialise(b, m, reinit, o, c.optimizer(), InitScheme.parse(c.config().init), rng);
            lastReinit.add(r);
            full += r.fullOrthogonal();
            total += r.reinitialised();
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", r.layer());
            l.put("reinitialised", r.reinitialised());
            l.put("full_orthogonal", r.fullOrthogonal());
            l.put("constraints_used", r.constraintsUsed());
            l.put("constraints_wanted", r.constraintsWanted());
            l.put("max_cos_kept", r.maxCosKept());
            l.put("max_cos_old", r.maxCosOld());
            l.put("mean_norm", r.meanNorm());
            ls.add(l);
        }
        masks.clear();
        state.pruned = false;
        state.layers.clear();
        Map<String, Object> e = event("reinit", epoch);
        e.put("cycle", cycle + 1);
        e.put("method", o.reinit.label());
        e.put("reinitialised", total);
        e.put("full_orthogonal", full);
        e.put("layers", ls);
        log.write(e);
    }

    /** Sum of the paper's O over every filter of every layer. */
    public static double orthoSum(Backend b, List<PrunableConv> convs) {
        double s = 0;
        for (PrunableConv pc : convs)
            for (float v : OrthoRanker.scores(b, pc.conv().weight().value(), OrthoOptions.PAPER)) s += v;
        return s;
    }

    private List<int[]> prunedRanges(int total) {
        List<int[]> r = new ArrayList<>();
        for (int k = 0; k < schedule.cycles() && schedule.pruneStart(k) < total; k++)
            r.add(new int[] {schedule.pruneStart(k), Math.min(total, schedule.pruneEnd(k))});
        return r;
    }

    private static Map<String, Object> event(String kind, int epoch) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", kind);
        if (epoch >= 0) e.put("epoch", epoch + 1);
        return e;
    }
}
