package org.reaper.report.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.backend.Backend;
import org.reaper.io.HostTensor;
import org.reaper.repr.CycleSnapshots;
import org.reaper.repr.DropSweep;
import org.reaper.repr.FilterGram;
import org.reaper.repr.HypotheticalCycle;
import org.reaper.repr.LayerScores;
import org.reaper.repr.ReinitLesson;
import org.reaper.repr.ReprOptions;
import org.reaper.repr.WeightsFileRanking;
import org.reaper.train.Checkpoints;

/**
 * Every number of the page for one cycle of a run, as a JSON-ready map: the weights that were ranked (the cycle's
 * drop snapshot, or for a run without one the final checkpoint: a hypothetical cycle), their Gram matrices and
 * scores ({@link WeightsFileRanking}, the code behind {@code reaper rank --json}), the dropped set (repr.jsonl's),
 * the re-initialisation recomputed from the snapshots ({@link ReinitLesson}), and the run's curves and options.
 */
public final class Lesson {
    private static final long RANK_SEED = 1;   // rank's default --seed, so the scores equal `reaper rank --json`

    private Lesson() {}

    public static Map<String, Object> build(Backend b, RunMaterial run, int cycle) {
        boolean real = run.repr().enabled() && run.hasCycle(cycle);
        ReprOptions o = run.repr().enabled() ? run.repr().copy() : new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        String criterion = o.criterion.label();
        if (o.criterion.needsData() || o.criterion == ReprOptions.Criterion.RANDOM) o.criterion = ReprOptions.Criterion.ORTHO;
        Path rankedFile = real ? CycleSnapshots.dropFile(run.dir(), cycle) : run.checkpoint();
        Map<String, HostTensor> before = WeightsFileRanking.convWeights(rankedFile);
        Map<String, Object> ranking = WeightsFileRanking.rank(b, before, o, RANK_SEED, rankedFile.toString());

        Map<String, Object> page = new LinkedHashMap<>();
        page.put("run", run.dir().toAbsolutePath().normalize().getFileName().toString());
        page.put("model", run.string("model", "?"));
        page.put("dataset", datasetLine(run.config()));
        page.put("cycle", cycle);
        page.put("hypothetical", !real);
        page.put("notice", real ? null : notice(run, cycle));
        page.put("criterion", criterion);
        page.put("lessonCriterion", o.criterion.label());
        page.put("ranked_file", rankedFile.getFileName().toString());
        page.put("options", o.effective());
        page.put("prune", o.prune);
        page.put("ranking", ranking);

        Map<String, int[]> dropped = real ? loggedDrops(run, cycle) : engineDrops(ranking);
        List<Map<String, Object>> layers = new ArrayList<>();
        List<LayerScores> scores = new ArrayList<>();
        for (var e : before.entrySet()) {
            int[] shape = e.getValue().shape();
            float[] w = e.getValue().data();
            FilterGram g = FilterGram.of(e.getKey(), w, shape[0], o.orthoOptions());
            float[] sc = scoresOf(ranking, e.getKey());
            scores.add(new LayerScores(e.getKey(), shape, sc));
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", e.getKey());
            l.put("shape", shape);
            l.put("filters", shape[0]);
            l.put("dim", g.dim());
            l.put("scores", sc);
            l.put("dropped", dropped.getOrDefault(e.getKey(), new int[0]));
            l.put("random_abs_cos", FilterGram.randomAbsCos(g.dim()));
            l.put("random_score", FilterGram.randomScore(g.dim(), shape[0]));
            l.put("mean_score", mean(sc));
            l.put("gram", rounded(g.gram()));
            l.put("normalized_png", FilterImages.heatmap(g.normalized()));
            List<String> tiles = new ArrayList<>();
            for (int f = 0; f < shape[0]; f++) tiles.add(FilterImages.filter(w, f, shape[1], shape[2]));
            l.put("tiles", tiles);
            l.put("worked", worked(g, sc));
            layers.add(l);
        }
        page.put("layers", layers);
        page.put("sweep", DropSweep.of(scores, o, (Boolean) ranking.get("drop_highest")));

        Map<String, HostTensor> after = real ? WeightsFileRanking.convWeights(CycleSnapshots.reinitFile(run.dir(), cycle))
                : hypotheticalAfter(b, run, o, dropped);
        List<Map<String, Object>> reinit = new ArrayList<>();
        for (var e : before.entrySet()) {
            int[] idx = dropped.getOrDefault(e.getKey(), new int[0]);
            if (idx.length == 0) continue;
            ReinitLesson r = ReinitLesson.of(e.getKey(), e.getValue().data(), after.get(e.getKey()).data(), e.getValue().shape()[0], idx);
            reinit.add(reinitMap(r, after.get(e.getKey()), e.getValue().shape(), real ? loggedReinit(run, cycle, e.getKey()) : null));
        }
        page.put("reinit", reinit);
        page.put("reinit_method", o.reinit.label() + (o.reinit == ReprOptions.Reinit.NULL_SPACE ? ", scaled to " + o.reinitScale.label() : ""));
        page.put("reset", ResetRules.of(o));
        page.put("phases", RunCurves.phaseRows(run, real ? cycle : -1));
        page.put("whole_run", RunCurves.whole(run));
        page.put("commands", Commands.of(run, rankedFile, o, real));
        page.put("config", run.config().get("repr"));
        return page;
    }

    private static String notice(RunMaterial run, int cycle) {
        if (!run.repr().enabled())
            return "This run trained with the standard schedule, so no RePr cycle happened. The page explains one hypothetical cycle "
                    + "on its final weights (" + Checkpoints.FILE + ") with RePr's default options: the drop and the re-initialisation are "
                    + "computed, the sub-network was never trained (no S2 phase).";
        return "Cycle " + cycle + " of this run has no snapshots (" + CycleSnapshots.dropFile(run.dir(), cycle).getFileName() + ", "
                + CycleSnapshots.reinitFile(run.dir(), cycle).getFileName() + "): the run did not reach it, or was trained by a Reaper "
                + "that did not keep them. The page explains one hypothetical cycle on its final weights with the run's options.";
    }

    private static String datasetLine(Map<String, Object> config) {
        if (config.get("dataset-info") instanceof Map<?, ?> d)
            return d.get("train_images") + " training / " + d.get("test_images") + " test images (" + d.get("kind") + ")";
        return String.valueOf(config.get("dataset"));
    }

    @SuppressWarnings("unchecked")
    private static float[] scoresOf(Map<String, Object> ranking, String layer) {
        for (Map<String, Object> l : (List<Map<String, Object>>) ranking.get("layers"))
            if (layer.equals(l.get("name"))) return (float[]) l.get("scores");
        throw new IllegalStateException("no scores for " + layer);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, int[]> engineDrops(Map<String, Object> ranking) {
        Map<String, List<Integer>> by = new LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) ranking.get("dropped"))
            by.computeIfAbsent((String) p.get("layer"), k -> new ArrayList<>()).add((Integer) p.get("filter"));
        Map<String, int[]> out = new LinkedHashMap<>();
        by.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** repr.jsonl names layers by module ("features.0"); the weights file by tensor ("features.0.weight"). */
    @SuppressWarnings("unchecked")
    private static Map<String, int[]> loggedDrops(RunMaterial run, int cycle) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) run.event("drop", cycle).get("layers"))
            out.put(l.get("name") + ".weight", ((List<Number>) l.get("dropped")).stream().mapToInt(Number::intValue).toArray());
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loggedReinit(RunMaterial run, int cycle, String tensor) {
        for (Map<String, Object> l : (List<Map<String, Object>>) run.event("reinit", cycle).get("layers"))
            if (tensor.equals(l.get("name") + ".weight")) return l;
        return null;
    }

    private static Map<String, HostTensor> hypotheticalAfter(Backend b, RunMaterial run, ReprOptions o, Map<String, int[]> dropped) {
        Checkpoints.Loaded c = Checkpoints.read(run.checkpoint());
        String model = c.model() != null ? c.model() : run.string("model", null);
        long seed = run.config().get("seed") instanceof Number n ? n.longValue() : 1;
        return HypotheticalCycle.reinitialised(b, c.tensors(), model, c.numClasses() > 0 ? c.numClasses() : 10,
                run.string("init", "pytorch-default"), o, dropped, seed, run.checkpoint().toString());
    }

    /** The highest-scoring filter of the layer worked out: its Gram row, |.|, the sum and the division by J. */
    private static Map<String, Object> worked(FilterGram g, float[] engine) {
        int f = 0;
        for (int i = 1; i < engine.length; i++) if (engine[i] > engine[f]) f = i;
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("filter", f);
        w.put("row", rounded(new double[][] {g.gram()[f]})[0]);
        w.put("abs_per_element", g.options().absPerElement());
        w.put("sum", g.rowSum(f));
        w.put("J", g.filters());
        w.put("score", g.score(f));
        w.put("engine_score", engine[f]);
        return w;
    }

    private static Map<String, Object> reinitMap(ReinitLesson r, HostTensor after, int[] shape, Map<String, Object> logged) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.layer());
        m.put("dim", r.dim());
        m.put("new", r.dropped());
        m.put("kept", r.kept().length);
        m.put("kept_rank", r.keptRank());
        m.put("free_dims", r.freeDims());
        m.put("room_for_all", r.roomForAll());
        m.put("full_orthogonal", r.fullOrthogonal());
        m.put("max_cos_kept", r.maxCosKept());
        m.put("max_cos_old", r.maxCosOld());
        m.put("cos_kept", r.cosKept());
        m.put("cos_old", r.cosOld());
        m.put("new_norms", r.newNorms());
        m.put("mean_kept_norm", r.meanKeptNorm());
        m.put("logged", logged);
        List<String> tiles = new ArrayList<>();
        for (int f : r.dropped()) tiles.add(FilterImages.filter(after.data(), f, shape[1], shape[2]));
        m.put("tiles", tiles);
        return m;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double[][] rounded(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) out[i][j] = Math.round(m[i][j] * 1e4) / 1e4;
        }
        return out;
    }
}
