package org.reaper.repr;

import java.util.List;

/**
 * Which filters RePr's selection would drop at every p = 1 %..99 % for fixed scores (the page's slider): per p one
 * string of '0'/'1' over all filters, layer by layer in order. The selection is the engine's ({@link FilterSelection}).
 */
public final class DropSweep {
    private DropSweep() {}

    public static String[] of(List<LayerScores> scores, ReprOptions o, boolean dropHighest) {
        String[] out = new String[100];
        out[0] = "0".repeat(scores.stream().mapToInt(LayerScores::filters).sum());
        for (int p = 1; p < 100; p++) {
            DropPlan plan = FilterSelection.of(o, p / 100.0).select(scores, dropHighest);
            StringBuilder b = new StringBuilder();
            for (DropPlan.LayerDrop d : plan.layers()) {
                char[] bits = "0".repeat(d.filters()).toCharArray();
                for (int f : d.dropped()) bits[f] = '1';
                b.append(bits);
            }
            out[p] = b.toString();
        }
        return out;
    }
}
