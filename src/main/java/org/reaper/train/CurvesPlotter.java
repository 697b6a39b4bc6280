package org.reaper.train;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reaper.report.PhaseBands;
import org.reaper.report.Png;

/**
 * curves.png: loss and accuracy against epochs (train, val, test) side by side, with the epochs trained in
 * a phase other than "full" (RePr's pruned sub-network) shaded, as in Fig. 1 of the paper. Redrawn at every
 * epoch end from the rows of a {@link MetricsWriter}, so it also covers the epochs before a resume.
 */
public final class CurvesPlotter implements TrainListener {
    public static final String FILE = "curves.png";
    private static final Color TRAIN = new Color(31, 119, 180), TEST = new Color(255, 127, 14), VAL = new Color(44, 160, 44);

    private final MetricsWriter metrics;
    private final Path file;

    public CurvesPlotter(MetricsWriter metrics, Path runDir) {
        this.metrics = metrics;
        this.file = runDir.resolve(FILE);
    }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) { plot(metrics.rows(), c.config().name, file); }

    /** Draws the rows of metrics.jsonl (epoch 1-based) into a PNG at {@code out}, atomically. */
    public static void plot(List<Map<String, Object>> rows, String title, Path out) {
        if (rows.isEmpty()) return;
        int n = rows.size();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = num(rows.get(i).get("epoch"));
        List<double[]> bands = bands(rows);
        XYChart loss = chart(title == null ? "loss" : title + ": loss", "cross-entropy loss");
        XYChart acc = chart(title == null ? "accuracy" : title + ": accuracy", "accuracy (%)");
        double maxLoss = 0;
        for (Map<String, Object> r : rows)
            for (String k : List.of("train_loss", "test_loss", "val_loss")) {
                double v = num(r.get(k));
                if (Double.isFinite(v)) maxLoss = Math.max(maxLoss, v);
            }
        maxLoss = maxLoss > 0 ? maxLoss * 1.05 : 1;
        loss.getStyler().setYAxisMin(0.0).setYAxisMax(maxLoss);
        acc.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        PhaseBands.draw(loss, bands, maxLoss, true);
        PhaseBands.draw(acc, bands, 100, true);
        addLine(loss, "train", x, column(rows, "train_loss", 1), TRAIN);
        addLine(loss, "val", x, column(rows, "val_loss", 1), VAL);
        addLine(loss, "test", x, column(rows, "test_loss", 1), TEST);
        addLine(acc, "train", x, column(rows, "train_acc", 100), TRAIN);
        addLine(acc, "val", x, column(rows, "val_acc", 100), VAL);
        addLine(acc, "test", x, column(rows, "test_acc", 100), TEST);
        Png.write(out, List.of(loss, acc), 1, 2);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        var s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        c.getStyler().setXAxisMin(0.0);
        PhaseBands.wholeEpochTicks(c);
        return c;
    }

    /** [start, end] x ranges of consecutive rows whose phase is not "full" (see {@link PhaseBands}). */
    static List<double[]> bands(List<Map<String, Object>> rows) {
        List<Double> epochs = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            epochs.add(num(r.get("epoch")));
            phases.add(String.valueOf(r.getOrDefault("phase", "full")));
        }
        return PhaseBands.of(epochs, phases);
    }

    private static void addLine(XYChart c, String name, double[] x, double[] y, Color color) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (Double.isFinite(y[i])) { xs.add(x[i]); ys.add(y[i]); }
        if (xs.isEmpty()) return;
        XYSeries s = c.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(xs.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static double[] column(List<Map<String, Object>> rows, String key, double scale) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = num(rows.get(i).get(key)) * scale;
        return out;
    }

    private static double num(Object o) { return o instanceof Number n ? n.doubleValue() : Double.NaN; }
}
