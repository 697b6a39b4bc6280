package org.reaper.repr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns scores into a {@link DropPlan}. Global scope (the paper): round(p * eligible filters) are taken from one
 * ranking of all eligible filters. Layer scope: round(p * J) from each eligible layer. The first layer is
 * ineligible with {@code excludeFirst}, 1x1 convs with {@code exclude1x1}, the residual shortcuts' downsample convs
 * (layers named {@code ...downsample...}) with {@code excludeDownsample}; no layer keeps fewer than {@code minKeep} filters, nor fewer than one (an
 * emptied layer makes every prediction the same; candidates that would break the floor are skipped and the next ones
 * taken). Ties (and NaN scores, ranked last) are broken by layer
 * order, then filter index.
 */
public final class FilterSelection {
    private final ReprOptions.Scope scope;
    private final double prune;
    private final boolean excludeFirst, exclude1x1, excludeDownsample;
    private final int minKeep;

    public FilterSelection(ReprOptions.Scope scope, double prune, boolean excludeFirst, int minKeep) {
        this(scope, prune, excludeFirst, false, false, minKeep);
    }

    public FilterSelection(ReprOptions.Scope scope, double prune, boolean excludeFirst, boolean exclude1x1, boolean excludeDownsample, int minKeep) {
        this.scope = scope; this.prune = prune; this.excludeFirst = excludeFirst; this.exclude1x1 = exclude1x1;
        this.excludeDownsample = excludeDownsample; this.minKeep = Math.max(1, minKeep);
    }

    public static FilterSelection of(ReprOptions o) { return of(o, o.prune); }

    /** The run's selection with another drop fraction (the teaching page's slider). */
    public static FilterSelection of(ReprOptions o, double prune) {
        return new FilterSelection(o.scope, prune, o.excludeFirst, o.exclude1x1, o.excludeDownsample, o.minKeep);
    }

    private record Candidate(int layer, int filter, float score) {}

    public DropPlan select(List<LayerScores> scores, boolean dropHighest) {
        int n = scores.size();
        List<List<Integer>> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) chosen.add(new ArrayList<>());
        Comparator<Candidate> order = rankOrder(dropHighest);
        if (scope == ReprOptions.Scope.GLOBAL) {
            List<Candidate> all = new ArrayList<>();
            for (int i = 0; i < n; i++) if (eligible(i, scores.get(i))) all.addAll(candidates(scores.get(i), i));
            all.sort(order);
            int want = (int) Math.round(prune * all.size());
            take(all, want, scores, chosen);
        } else {
            for (int i = 0; i < n; i++) {
                if (!eligible(i, scores.get(i))) continue;
                List<Candidate> layer = candidates(scores.get(i), i);
                layer.sort(order);
                take(layer, (int) Math.round(prune * layer.size()), scores, chosen);
            }
        }
        List<DropPlan.LayerDrop> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] idx = chosen.get(i).stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(idx);
            out.add(new DropPlan.LayerDrop(scores.get(i).layer(), scores.get(i).filters(), idx));
        }
        return new DropPlan(out);
    }

    /** True when filters of layer {@code layer} may be dropped under these options. */
    boolean eligible(int layer, LayerScores s) {
        int[] shape = s.shape();
        boolean oneByOne = shape != null && shape.length == 4 && shape[2] == 1 && shape[3] == 1;
        return !(excludeFirst && layer == 0) && !(exclude1x1 && oneByOne) && !(excludeDownsample && s.layer().contains("downsample"));
    }

    private static List<Candidate> candidates(LayerScores s, int layer) {
        List<Candidate> c = new ArrayList<>();
        for (int f = 0; f < s.filters(); f++) c.add(new Candidate(layer, f, s.scores()[f]));
        return c;
    }

    private void take(List<Candidate> ranked, int want, List<LayerScores> scores, List<List<Integer>> chosen) {
        int taken = 0;
        for (Candidate c : ranked) {
            if (taken >= want) break;
            List<Integer> layer = chosen.get(c.layer());
            if (scores.get(c.layer()).filters() - layer.size() - 1 < minKeep) continue;
            layer.add(c.filter());
            taken++;
        }
    }

    /** Most droppable first: by score (descending when the highest are dropped), NaN last, then layer, then index. */
    static Comparator<Candidate> rankOrder(boolean dropHighest) {
        return (a, b) -> {
            boolean an = Float.isNaN(a.score()), bn = Float.isNaN(b.score());
            if (an != bn) return an ? 1 : -1;
            if (!an) {
                int c = Float.compare(a.score(), b.score());
                if (c != 0) return dropHighest ? -c : c;
            }
            if (a.layer() != b.layer()) return Integer.compare(a.layer(), b.layer());
            return Integer.compare(a.filter(), b.filter());
        };
    }
}
