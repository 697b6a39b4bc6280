package org.reaper.study;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reaper.report.PhaseBands;
import org.reaper.report.Png;
import org.reaper.train.Json;
import org.reaper.train.MetricsWriter;

/**
 * The study's table (mean ± std of final and best test accuracy per variant, and every failed run's error) and its
 * mean test-accuracy curves with the pruned phases shaded as in each run's curves.png.
 */
public final class StudySummary {
    public static final String MD = "study.md", PNG = "study.png";

    record Row(Variant variant, int runs, double[] finalAcc, double[] bestAcc, double[] minutes, double[] meanCurve, List<double[]> pruned, List<String> errors) {}

    private final List<Row> rows;

    private StudySummary(List<Row> rows) { this.rows = rows; }

    /** Reads the finished runs of OUT/VARIANT/seedN; {@code errors} holds the failed runs' messages by folder. */
    public static StudySummary collect(Path out, List<Variant> variants, int seeds, Map<Path, String> errors) {
        List<Row> rows = new ArrayList<>();
        for (Variant v : variants) {
            List<Double> fin = new ArrayList<>(), best = new ArrayList<>(), minutes = new ArrayList<>();
            List<double[]> curves = new ArrayList<>();
            List<double[]> pruned = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                Path dir = out.resolve(v.folder()).resolve("seed" + s);
                String error = errors.get(dir);
                if (error != null) { failed.add("seed" + s + ": " + error); continue; }
                Path sum = dir.resolve("summary.json");
                if (!Files.isRegularFile(sum)) continue;
                Map<String, Object> m = Json.readMap(sum);
                if (!Boolean.TRUE.equals(m.get("finished"))) continue;
                fin.add(((Number) m.get("final_test_acc")).doubleValue());
                best.add(((Number) m.get("best_test_acc")).doubleValue());
                if (m.get("total_seconds") instanceof Number t) minutes.add(t.doubleValue() / 60);
                List<Map<String, Object>> metrics = MetricsWriter.readRows(dir.resolve(MetricsWriter.JSONL));
                curves.add(metrics.stream().mapToDouble(r -> num(r.get("test_acc"))).toArray());
                if (pruned.isEmpty())
                    pruned = PhaseBands.of(metrics.stream().map(r -> (Number) r.get("epoch")).toList(),
                            metrics.stream().map(r -> String.valueOf(r.getOrDefault("phase", "full"))).toList());
            }
            rows.add(new Row(v, fin.size(), fin.stream().mapToDouble(Double::doubleValue).toArray(),
                    best.stream().mapToDouble(Double::doubleValue).toArray(), minutes.stream().mapToDouble(Double::doubleValue).toArray(),
                    mean(curves), pruned, failed));
        }
        return new StudySummary(rows);
    }

    /** The pruned-phase bands of each variant, in x units of the plot (for tests). */
    List<List<double[]>> bands() { return rows.stream().map(Row::pruned).toList(); }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| variant | runs | final test acc (%) | best test acc (%) | minutes per run |\n|---|---|---|---|---|\n");
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "| %s | %d%s | %s | %s | %s |%n", r.variant().spec(), r.runs(),
                    r.errors().isEmpty() ? "" : " (" + r.errors().size() + " failed)", meanStd(r.finalAcc()), meanStd(r.bestAcc()),
                    r.minutes().length == 0 ? "" : String.format(Locale.ROOT, "%.1f", java.util.Arrays.stream(r.minutes()).average().orElse(Double.NaN))));
        b.append("\nmean ± sample std over seeds (n = runs); accuracies on the test set; minutes of wall-clock time per run "
                + "(machine load included: compare them within one study).\n");
        List<String> failures = new ArrayList<>();
        for (Row r : rows) for (String e : r.errors()) failures.add("- " + r.variant().spec() + " " + e);
        if (!failures.isEmpty()) b.append("\nfailed runs:\n").append(String.join("\n", failures)).append('\n');
        return b.toString();
    }

    /** Writes study.md and, when some run finished, study.png; returns the files written. */
    public List<Path> write(Path out) {
        List<Path> written = new ArrayList<>();
        Json.writeAtomically(out.resolve(MD), markdown());
        written.add(out.resolve(MD));
        if (plot(out.resolve(PNG))) written.add(out.resolve(PNG));
        return written;
    }

    /** Distinct, saturated line colours (Okabe-Ito, colour-blind safe). */
    private static final Color[] PALETTE = {new Color(0, 0, 0), new Color(213, 94, 0), new Color(0, 114, 178), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(240, 228, 66)};

    private static final java.awt.BasicStroke[] LINE_STYLES = {org.knowm.xchart.style.lines.SeriesLines.SOLID,
            org.knowm.xchart.style.lines.SeriesLines.DASH_DASH, org.knowm.xchart.style.lines.SeriesLines.DOT_DOT};

    private boolean plot(Path file) {
        if (rows.stream().allMatch(r -> r.meanCurve().length == 0)) return false;
        XYChart c = new XYChartBuilder().width(900).height(520).title("mean test accuracy per variant (pruned phases shaded)")
                .xAxisTitle("epoch").yAxisTitle("test accuracy (%)").build();
        // Zoom on where the curves differ: from 5 points below their lowest value after epoch 5 to 5 above the top.
        double lo = 100, hi = 0;
        for (Row r : rows)
            for (int i = 0; i < r.meanCurve().length; i++) {
                double y = 100 * r.meanCurve()[i];
                hi = Math.max(hi, y);
                if (i >= 5 || r.meanCurve().length <= 5) lo = Math.min(lo, y);
            }
        if (lo > hi) { lo = 0; hi = 100; }
        double yMin = Math.max(0, 5 * Math.floor(lo / 5) - 5), yMax = Math.min(100, 5 * Math.ceil(hi / 5) + 5);
        c.getStyler().setYAxisMin(yMin).setYAxisMax(yMax).setXAxisMin(0.0).setMarkerSize(0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        PhaseBands.wholeEpochTicks(c);
        Map<String, double[]> bands = new LinkedHashMap<>();     // variants with the same schedule share one band
        for (Row r : rows) for (double[] p : r.pruned()) bands.putIfAbsent(p[0] + ":" + p[1], p);
        PhaseBands.draw(c, new ArrayList<>(bands.values()), yMax, false);
        int colour = 0;
        for (Row r : rows) {
            if (r.meanCurve().length == 0) continue;
            double[] x = new double[r.meanCurve().length], y = new double[x.length];
            for (int i = 0; i < x.length; i++) { x[i] = i + 1; y[i] = Math.max(yMin, 100 * r.meanCurve()[i]); }
            XYSeries curve = c.addSeries(r.variant().spec() + " (n=" + r.runs() + ")", x, y);
            curve.setMarker(SeriesMarkers.NONE);
            // past 8 variants the colours repeat: each round of the palette gets its own line style
            curve.setLineColor(PALETTE[colour % PALETTE.length]);
            curve.setLineStyle(LINE_STYLES[(colour / PALETTE.length) % LINE_STYLES.length]);
            colour++;
        }
        Png.write(file, c);
        return true;
    }

    /** "mean ± std" over the seeds; a single run has no spread to show, so it says n = 1. */
    static String meanStd(double[] v) {
        if (v.length == 0) return "–";
        double m = 0;
        for (double x : v) m += x;
        m /= v.length;
        if (v.length == 1) return String.format(Locale.ROOT, "%.2f (n = 1)", 100 * m);
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * m, 100 * Math.sqrt(s / (v.length - 1)));
    }

    static double[] mean(List<double[]> curves) {
        int n = curves.stream().mapToInt(a -> a.length).min().orElse(0);
        double[] m = new double[n];
        for (double[] c : curves) for (int i = 0; i < n; i++) m[i] += c[i] / curves.size();
        return m;
    }

    private static double num(Object o) { return o instanceof Number n ? n.doubleValue() : Double.NaN; }
}
