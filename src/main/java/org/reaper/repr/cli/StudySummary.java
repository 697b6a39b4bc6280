package org.reaper.repr.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reaper.ReaperException;
import org.reaper.report.Png;
import org.reaper.repr.ReprLog;
import org.reaper.train.Json;

/** The study's table (mean +- std of final and best test accuracy per variant) and its mean test-accuracy curves. */
final class StudySummary {
    static final String MD = "study.md", PNG = "study.png";

    record Row(Variant variant, int runs, double[] finalAcc, double[] bestAcc, double[] meanCurve, List<int[]> pruned) {}

    private final List<Row> rows;

    private StudySummary(List<Row> rows) { this.rows = rows; }

    @SuppressWarnings("unchecked")
    static StudySummary collect(Path out, List<Variant> variants, int seeds) {
        List<Row> rows = new ArrayList<>();
        for (Variant v : variants) {
            List<Double> fin = new ArrayList<>(), best = new ArrayList<>();
            List<double[]> curves = new ArrayList<>();
            List<int[]> pruned = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                Path dir = out.resolve(v.folder()).resolve("seed" + s);
                Path sum = dir.resolve("summary.json");
                if (!Files.isRegularFile(sum)) continue;
                Map<String, Object> m = Json.readMap(sum);
                if (!Boolean.TRUE.equals(m.get("finished"))) continue;
                fin.add(((Number) m.get("final_test_acc")).doubleValue());
                best.add(((Number) m.get("best_test_acc")).doubleValue());
                curves.add(testCurve(dir.resolve("metrics.jsonl")));
                if (pruned.isEmpty())
                    for (Map<String, Object> e : ReprLog.read(dir.resolve(ReprLog.FILE)))
                        if ("config".equals(e.get("event")) && e.get("pruned_epochs") instanceof List<?> l)
                            for (Object r : l) pruned.add(new int[] {((List<Number>) r).get(0).intValue(), ((List<Number>) r).get(1).intValue()});
            }
            rows.add(new Row(v, fin.size(), fin.stream().mapToDouble(Double::doubleValue).toArray(),
                    best.stream().mapToDouble(Double::doubleValue).toArray(), mean(curves), pruned));
        }
        return new StudySummary(rows);
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| variant | runs | final test acc (%) | best test acc (%) |\n|---|---|---|---|\n");
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", r.variant().spec(), r.runs(), meanStd(r.finalAcc()), meanStd(r.bestAcc())));
        b.append("\nmean ± sample std over seeds; accuracies on the test set.\n");
        return b.toString();
    }

    void write(Path out) {
        try {
            Files.writeString(out.resolve(MD), markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReaperException("cannot write " + out.resolve(MD) + ": " + e.getMessage(), e);
        }
        plot(out.resolve(PNG));
    }

    /** Distinct, saturated line colours (Okabe-Ito, colour-blind safe). */
    private static final Color[] PALETTE = {new Color(0, 0, 0), new Color(213, 94, 0), new Color(0, 114, 178), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(240, 228, 66)};

    private void plot(Path file) {
        XYChart c = new XYChartBuilder().width(900).height(520).title("mean test accuracy per variant (pruned phases shaded)")
                .xAxisTitle("epoch").yAxisTitle("test accuracy (%)").build();
        // Zoom on where the curves differ: from 5 points below their lowest value after epoch 5 to 5 above the top.
        double lo = 100, hi = 0;
        for (Row r : rows)
            for (int i = 0; i < r.meanCurve().length; i++) {
                double y = 100 * r.meanCurve()[i];
                hi = Math.max(hi, y);
                if (i >= 5) lo = Math.min(lo, y);
            }
        if (lo > hi) { lo = 0; hi = 100; }
        double yMin = Math.max(0, 5 * Math.floor(lo / 5) - 5), yMax = Math.min(100, 5 * Math.ceil(hi / 5) + 5);
        c.getStyler().setYAxisMin(yMin).setYAxisMax(yMax).setMarkerSize(0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (Row r : rows)
            for (int[] p : r.pruned()) {
                XYSeries band = c.addSeries("pruned " + r.variant().spec() + " " + p[0], new double[] {p[0] + 0.5, p[1] + 0.5}, new double[] {yMax, yMax});
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
                band.setFillColor(new Color(120, 120, 120, 40));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setShowInLegend(false);
                band.setMarker(SeriesMarkers.NONE);
            }
        boolean any = false;
        int colour = 0;
        for (Row r : rows) {
            if (r.meanCurve().length == 0) continue;
            double[] x = new double[r.meanCurve().length], y = new double[x.length];
            for (int i = 0; i < x.length; i++) { x[i] = i + 1; y[i] = Math.max(yMin, 100 * r.meanCurve()[i]); }
            XYSeries curve = c.addSeries(r.variant().spec() + " (n=" + r.runs() + ")", x, y);
            curve.setMarker(SeriesMarkers.NONE);
            curve.setLineColor(PALETTE[colour++ % PALETTE.length]);
            any = true;
        }
        if (any) Png.write(file, c);
    }

    static String meanStd(double[] v) {
        if (v.length == 0) return "–";
        double m = 0;
        for (double x : v) m += x;
        m /= v.length;
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        s = v.length > 1 ? Math.sqrt(s / (v.length - 1)) : 0;
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * m, 100 * s);
    }

    @SuppressWarnings("unchecked")
    static double[] testCurve(Path metricsJsonl) {
        List<Double> v = new ArrayList<>();
        try {
            if (!Files.isRegularFile(metricsJsonl)) return new double[0];
            for (String line : Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8))
                if (!line.isBlank()) v.add(((Number) Json.parseMap(line, metricsJsonl.toString()).get("test_acc")).doubleValue());
        } catch (IOException e) {
            throw new ReaperException("cannot read " + metricsJsonl + ": " + e.getMessage(), e);
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] mean(List<double[]> curves) {
        int n = curves.stream().mapToInt(a -> a.length).min().orElse(0);
        double[] m = new double[n];
        for (double[] c : curves) for (int i = 0; i < n; i++) m[i] += c[i] / curves.size();
        return m;
    }
}
