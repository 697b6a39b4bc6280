package org.reaper.repr;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reaper.report.PhaseBands;
import org.reaper.report.Png;

/** The run's RePr plots from repr.jsonl: drops.png (layer x cycle heat map of dropped filters) and ortho_sum.png. */
public final class ReprPlots {
    public static final String DROPS = "drops.png", ORTHO_SUM = "ortho_sum.png";

    private ReprPlots() {}

    /** Draws both plots into {@code runDir} from its repr.jsonl (missing events give no plot). */
    public static void write(Path runDir) {
        List<Map<String, Object>> events = ReprLog.read(runDir.resolve(ReprLog.FILE));
        List<Map<String, Object>> drops = events.stream().filter(e -> "drop".equals(e.get("event"))).toList();
        List<Map<String, Object>> epochs = events.stream().filter(e -> "epoch".equals(e.get("event"))).toList();
        if (!drops.isEmpty()) Png.write(runDir.resolve(DROPS), dropMap(drops));
        if (!epochs.isEmpty()) {
            double[] x = new double[epochs.size()], y = new double[epochs.size()];
            List<Number> es = new ArrayList<>();
            List<String> phases = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                x[i] = ((Number) epochs.get(i).get("epoch")).doubleValue();
                y[i] = ((Number) epochs.get(i).get("ortho_sum")).doubleValue();
                es.add(x[i]);
                phases.add(String.valueOf(epochs.get(i).getOrDefault("phase", "full")));
            }
            XYChart chart = new XYChartBuilder().width(640).height(420).title("network ortho-sum (sum of O over all filters)")
                    .xAxisTitle("epoch").yAxisTitle("ortho-sum").build();
            double top = 0;
            for (double v : y) top = Math.max(top, v);
            top = top > 0 ? top * 1.05 : 1;
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(top).setXAxisMin(0.0);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
            PhaseBands.wholeEpochTicks(chart);
            PhaseBands.draw(chart, PhaseBands.of(es, phases), top, true);
            XYSeries line = chart.addSeries("ortho-sum", x, y);
            line.setMarker(x.length <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            line.setLineColor(new Color(31, 119, 180));
            line.setMarkerColor(new Color(31, 119, 180));
            Png.write(runDir.resolve(ORTHO_SUM), chart);
        }
    }

    /** Layer x cycle counts; a cell with no drop is not drawn (left empty), so 0 never looks like a small number. */
    @SuppressWarnings("unchecked")
    static HeatMapChart dropMap(List<Map<String, Object>> drops) {
        List<Map<String, Object>> layers0 = (List<Map<String, Object>>) drops.get(0).get("layers");
        int nl = layers0.size(), nc = drops.size();
        List<Integer> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int c = 0; c < nc; c++) xs.add(((Number) drops.get(c).get("cycle")).intValue());
        for (int l = 0; l < nl; l++) ys.add(l);
        List<Number[]> cells = new ArrayList<>();
        int max = 1;
        for (int c = 0; c < nc; c++) {
            List<Map<String, Object>> ls = (List<Map<String, Object>>) drops.get(c).get("layers");
            for (int l = 0; l < nl && l < ls.size(); l++) {
                int count = ((Number) ls.get(l).get("count")).intValue();
                if (count > 0) cells.add(new Number[] {c, l, count});
                max = Math.max(max, count);
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(480, 120 * nc + 300)).height(Math.max(360, 22 * nl + 160))
                .title("filters dropped per layer and cycle (empty: none)").xAxisTitle("cycle").yAxisTitle("layer (0 = first conv)").build();
        chart.getStyler().setShowValue(true).setMin(0).setMax(max).setDrawBorder(true)
                .setRangeColors(new Color[] {new Color(254, 217, 118), new Color(253, 141, 60), new Color(189, 0, 38)});
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.addSeries("dropped", xs, ys, cells);
        return chart;
    }
}
