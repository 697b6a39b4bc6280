package org.reaper.repr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which filters to drop: per layer (in layer order) the sorted indices; layers with no drop hold an empty array. */
public record DropPlan(List<LayerDrop> layers) {

    public record LayerDrop(String layer, int filters, int[] dropped) {
        public int count() { return dropped.length; }
    }

    public int total() { return layers.stream().mapToInt(LayerDrop::count).sum(); }

    public Map<String, int[]> byLayer() {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (LayerDrop d : layers) m.put(d.layer(), d.dropped());
        return m;
    }
}
