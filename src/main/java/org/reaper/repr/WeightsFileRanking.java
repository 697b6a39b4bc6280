package org.reaper.repr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.io.HostTensor;
import org.reaper.io.Safetensors;
import org.reaper.nn.Persistent;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * Ranks the conv filters of a safetensors file (e.g. a PyTorch state_dict): every 4-D tensor is a conv layer
 * ([out, in, kh, kw]), layers in natural name order. Produces the document {@code rank --json} prints.
 */
public final class WeightsFileRanking {
    private WeightsFileRanking() {}

    /** Last name parts of optimizer state that PyTorch's optimizers keep per parameter (same shape as the weight). */
    private static final Set<String> OPTIMIZER_STATE = Set.of("momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    /** The conv weights of the file (model parameters only: a checkpoint's optim.* state is not a layer), by name in natural order. */
    public static Map<String, HostTensor> convWeights(Path file) {
        if (!Files.isRegularFile(file)) throw new ReaperException("--weights " + file + " does not exist; pass a .safetensors file");
        Map<String, HostTensor> all = Safetensors.read(file).tensors();
        Map<String, HostTensor> out = new LinkedHashMap<>();
        all.keySet().stream().sorted(NaturalOrder.INSTANCE).forEach(k -> { if (all.get(k).shape().length == 4 && isParameter(k)) out.put(k, all.get(k)); });
        if (out.isEmpty()) throw new ReaperException(file + " holds no conv weights (4-D model parameters) to rank");
        return out;
    }

    static boolean isParameter(String name) {
        return !name.startsWith("optim.") && !OPTIMIZER_STATE.contains(name.substring(name.lastIndexOf('.') + 1));
    }

    /** Scores and drops for {@code weights} under {@code o}, as a JSON-ready map. */
    public static Map<String, Object> rank(Backend b, Map<String, HostTensor> weights, ReprOptions o, long seed, String source) {
        o.validate();
        if (o.criterion.needsData())
            throw new ReaperException("criterion '" + o.criterion.label() + "' needs data and a model; rank a weights file with "
                    + "ortho, ortho-official, weight-l1, weight-l2 or random (or use it in `train --schedule repr`)");
        List<RankLayer> layers = new ArrayList<>();
        List<Tensor> owned = new ArrayList<>();
        try {
            for (var e : weights.entrySet()) {
                Tensor t = Persistent.empty(b, Shape.of(e.getValue().shape()));
                owned.add(t);
                b.upload(e.getValue().data(), t);
                layers.add(new RankLayer(e.getKey(), t, null));
            }
            FilterRanker ranker = FilterRanker.of(o);
            List<LayerScores> scores = ranker.score(RankInput.weightsOnly(b, layers, new RandomStream(seed)));
            DropPlan plan = FilterSelection.of(o).select(scores, ranker.dropHighest());
            return document(source, o, ranker, scores, plan);
        } finally {
            owned.forEach(Tensor::close);
        }
    }

    static Map<String, Object> document(String source, ReprOptions o, FilterRanker ranker, List<LayerScores> scores, DropPlan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("weights", source);
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("criterion", o.criterion.label());
        if (o.criterion == ReprOptions.Criterion.ORTHO || o.criterion == ReprOptions.Criterion.ORTHO_OFFICIAL) {
            var oo = o.orthoOptions();
            opts.put("norm", oo.normalization() == org.reaper.backend.OrthoOptions.Normalization.FROBENIUS ? "frobenius" : "filter");
            opts.put("abs", oo.absPerElement() ? "element" : "mean");
        }
        opts.put("prune", o.prune);
        opts.put("scope", o.scope.label());
        opts.put("exclude-first", o.excludeFirst);
        opts.put("min-keep", o.minKeep);
        doc.put("options", opts);
        doc.put("drop_highest", ranker.dropHighest());
        List<Map<String, Object>> ls = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", scores.get(i).layer());
            l.put("shape", scores.get(i).shape());
            l.put("dropped_count", plan.layers().get(i).count());
            l.put("scores", scores.get(i).scores());
            ls.add(l);
        }
        doc.put("layers", ls);
        List<Map<String, Object>> dropped = new ArrayList<>();
        for (DropPlan.LayerDrop d : plan.layers())
            for (int f : d.dropped()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("layer", d.layer());
                p.put("filter", f);
                dropped.add(p);
            }
        doc.put("total_filters", plan.layers().stream().mapToInt(DropPlan.LayerDrop::filters).sum());
        doc.put("total_dropped", plan.total());
        doc.put("dropped", dropped);
        return doc;
    }
}
