package org.reaper.repr;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reaper.report.Png;

/** The run's RePr plots from repr.jsonl: drops.png (layer x cycle heat map of dropped filters) and ortho_sum.png. */
public final class ReprPlots {
    public static final String DROPS = "drops.png", ORTHO_SUM = "ortho_sum.png";

    private ReprPlots() {}

    /** Draws both plots into {@code runDir} from its repr.jsonl (missing events give no plot). */
    @SuppressWarnings("unchecked")
    public static void write(Path runDir) {
        List<Map<String, Object>> events = ReprLog.read(runDir.resolve(ReprLog.FILE));
        List<Map<String, Object>> drops = events.stream().filter(e -> "drop".equals(e.get("event"))).toList();
        List<Map<String, Object>> epochs = events.stream().filter(e -> "epoch".equals(e.get("event"))).toList();
        if (!drops.isEmpty()) {
            List<Map<String, Object>> layers0 = (List<Map<String, Object>>) drops.get(0).get("layers");
            int nl = layers0.size(), nc = drops.size();
            int[] xs = new int[nc], ys = new int[nl];
            for (int c = 0; c < nc; c++) xs[c] = ((Number) drops.get(c).get("cycle")).intValue();
            for (int l = 0; l < nl; l++) ys[l] = l;
            int[][] heat = new int[nc][nl];   // XChart: heat[x index][y index]
            for (int c = 0; c < nc; c++) {
                List<Map<String, Object>> ls = (List<Map<String, Object>>) drops.get(c).get("layers");
                for (int l = 0; l < nl && l < ls.size(); l++) heat[c][l] = ((Number) ls.get(l).get("count")).intValue();
            }
            HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(480, 120 * nc + 300)).height(Math.max(360, 22 * nl + 160))
                    .title("filters dropped per layer and cycle").xAxisTitle("cycle").yAxisTitle("layer (0 = first conv)").build();
            chart.getStyler().setShowValue(true);
            chart.getStyler().setMin(0);
            chart.addSeries("dropped", xs, ys, heat);
            Png.write(runDir.resolve(DROPS), chart);
        }
        if (!epochs.isEmpty()) {
            double[] x = new double[epochs.size()], y = new double[epochs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = ((Number) epochs.get(i).get("epoch")).doubleValue();
                y[i] = ((Number) epochs.get(i).get("ortho_sum")).doubleValue();
            }
            XYChart chart = new XYChartBuilder().width(640).height(420).title("network ortho-sum (sum of O over all filters)")
                    .xAxisTitle("epoch").yAxisTitle("ortho-sum").build();
            chart.getStyler().setLegendVisible(false);
            chart.addSeries("ortho_sum", x, y).setMarker(SeriesMarkers.NONE);
            Png.write(runDir.resolve(ORTHO_SUM), chart);
        }
    }
}
