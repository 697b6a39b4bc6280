package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.reaper.train.RunFolder;

/** drops.png draws no cell for a layer without drops, so 0 can never look like 3. */
class ReprPlotsTest {
    @Test void zeroDropsLeaveTheCellEmpty() {
        List<Map<String, Object>> drops = List.of(
                Map.of("cycle", 1, "layers", List.of(Map.of("count", 0), Map.of("count", 3))),
                Map.of("cycle", 2, "layers", List.of(Map.of("count", 1), Map.of("count", 0))));
        HeatMapChart c = ReprPlots.dropMap(drops);
        List<String> cells = new java.util.ArrayList<>();
        for (Number[] n : c.getHeatMapSeries().getHeatData()) cells.add(n[0] + "," + n[1] + "=" + n[2]);
        assertEquals(List.of("0,1=3", "1,0=1"), cells);
        assertEquals(0, c.getStyler().getMin());
    }

    @Test void theRunFolderKnowsEveryFileRePrWrites() {
        for (String f : List.of(ReprLog.FILE, ReprPlots.DROPS, ReprPlots.ORTHO_SUM))
            assertTrue(RunFolder.RUN_FILES.contains(f), f + " is cleared by --overwrite");
    }
}
