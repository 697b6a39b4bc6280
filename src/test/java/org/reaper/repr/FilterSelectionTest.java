package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Global vs per-layer ranking, first-layer exclusion, per-layer floor, deterministic ties. */
class FilterSelectionTest {
    // layer 0 has the highest scores (like ortho on a 27-dim first layer)
    final List<LayerScores> s = ReprTestKit.scores(
            new float[] {0.9f, 0.8f, 0.7f, 0.6f},
            new float[] {0.1f, 0.5f, 0.2f, 0.3f},
            new float[] {0.4f, 0.05f, 0.35f, 0.15f});

    String drop(ReprOptions.Scope scope, double p, boolean excludeFirst, int minKeep, boolean highest) {
        return ReprTestKit.str(ReprTestKit.dropped(new FilterSelection(scope, p, excludeFirst, minKeep).select(s, highest)));
    }

    @Test void globalTakesTheTopOfOneRanking() {
        // 12 filters * 0.34 = 4 (rounded): the four highest are all in layer 0, which keeps one; the fourth is layer 1's best
        assertEquals("[[0, 1, 2], [1], []]", drop(ReprOptions.Scope.GLOBAL, 0.34, false, 0, true));
        // lowest end for importance criteria
        assertEquals("[[], [0, 2], [1, 3]]", drop(ReprOptions.Scope.GLOBAL, 0.34, false, 0, false));
    }

    @Test void perLayerTakesTheSameFractionOfEachLayer() {
        assertEquals("[[0, 1], [1, 3], [0, 2]]", drop(ReprOptions.Scope.LAYER, 0.5, false, 0, true));
    }

    @Test void excludeFirstRanksOnlyTheOtherLayers() {
        // 8 eligible * 0.5 = 4
        assertEquals("[[], [1, 3], [0, 2]]", drop(ReprOptions.Scope.GLOBAL, 0.5, true, 0, true));
        assertEquals("[[], [1, 3], [0, 2]]", drop(ReprOptions.Scope.LAYER, 0.5, true, 0, true));
    }

    @Test void minKeepSkipsCandidatesThatWouldEmptyALayer() {
        // no floor asked: still one filter per layer (an empty layer makes every prediction the same): 6 of 12 ->
        // layer 0 but its last, then 0.5, 0.4 and 0.35
        assertEquals("[[0, 1, 2], [1], [0, 2]]", drop(ReprOptions.Scope.GLOBAL, 0.5, false, 0, true));
        // even --prune 0.99 leaves every layer one filter
        assertEquals("[[0, 1, 2], [1, 2, 3], [0, 2, 3]]", drop(ReprOptions.Scope.GLOBAL, 0.99, false, 0, true));
        assertEquals("[[0, 1, 2], [1, 2, 3], [0, 2, 3]]", drop(ReprOptions.Scope.LAYER, 0.99, false, 0, true));
        // floor 2 per layer: layer 0 keeps 2; the next best of the other layers are taken instead
        assertEquals("[[0, 1], [1, 3], [0, 2]]", drop(ReprOptions.Scope.GLOBAL, 0.5, false, 2, true));
    }

    @Test void tiesBreakByLayerThenIndex() {
        List<LayerScores> t = ReprTestKit.scores(new float[] {1, 1, 1}, new float[] {1, 1, 1});
        DropPlan p = new FilterSelection(ReprOptions.Scope.GLOBAL, 0.5, false, 0).select(t, true);
        assertEquals("[[0, 1], [0]]", ReprTestKit.str(ReprTestKit.dropped(p)));
        List<LayerScores> n = ReprTestKit.scores(new float[] {Float.NaN, 0.2f}, new float[] {0.1f, 0.3f});
        assertEquals("[[1], [1]]", ReprTestKit.str(ReprTestKit.dropped(new FilterSelection(ReprOptions.Scope.GLOBAL, 0.5, false, 0).select(n, true))));
    }

    /** ResNet-ImageNet layers: a 3x3 conv, a 1x1 bottleneck conv, a shortcut's downsample conv (1x1 too). */
    @Test void oneByOneAndDownsampleConvsCanBeLeftOut() {
        List<LayerScores> layers = List.of(
                new LayerScores("layer1.0.conv2", new int[] {4, 4, 3, 3}, new float[] {0.1f, 0.2f, 0.3f, 0.4f}),
                new LayerScores("layer1.0.conv3", new int[] {4, 4, 1, 1}, new float[] {0.9f, 0.8f, 0.7f, 0.6f}),
                new LayerScores("layer1.0.downsample.0", new int[] {4, 4, 1, 1}, new float[] {0.95f, 0.85f, 0.75f, 0.65f}));
        ReprOptions o = new ReprOptions();
        o.prune = 0.25;                                                         // 3 of 12 (or of the eligible)
        assertEquals("[[], [0], [0, 1]]", ReprTestKit.str(ReprTestKit.dropped(FilterSelection.of(o).select(layers, true))), "every conv ranked by default");
        o.excludeDownsample = true;
        assertEquals("[[], [0, 1], []]", ReprTestKit.str(ReprTestKit.dropped(FilterSelection.of(o).select(layers, true))));
        o.exclude1x1 = true;
        assertEquals("[[3], [], []]", ReprTestKit.str(ReprTestKit.dropped(FilterSelection.of(o).select(layers, true))), "only the 3x3 conv is eligible: 25 % of 4");
        o.schedule = ReprOptions.Schedule.REPR;
        assertEquals(true, o.effective().get("exclude-1x1"), "recorded in config.json");
    }
}
