package org.reaper.repr;

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
import org.reaper.ReaperException;
import org.reaper.io.AtomicFile;
import org.reaper.report.Png;
import org.reaper.train.Json;

/**
 * {@code reaper agreement}: from the criteria-scores files of one or more runs (seeds), a table per oracle of each
 * criterion's rank correlation with it (mean ± sample std over the runs, per layer and global) and the overlap of the
 * drop sets, plus one scatter plot per criterion (first run): the oracle's accuracy drop against the criterion's
 * global rank. Writes {@code agreement.md}, {@code agreement.json}, {@code agreement.png} into the output folder.
 */
public final class AgreementReport {
    /** The references, in the order of the tables: the oracle on the held-out test split, then on the rank images. */
    public static final List<String> ORACLES = List.of("oracle-test", "oracle");

    private AgreementReport() {}

    public static String write(List<CriteriaScores> runs, Path outDir) {
        if (runs.isEmpty()) throw new ReaperException("no runs given: pass run folders trained with --score-criteria");
        CriteriaScores first = runs.get(0);
        for (CriteriaScores r : runs)
            if (!r.layers().equals(first.layers()) || !r.criteria().keySet().equals(first.criteria().keySet()))
                throw new ReaperException(r.file() + " scores other layers or criteria than " + first.file() + ": compare runs of one model and one Reaper version");
        StringBuilder md = new StringBuilder();
        Map<String, Object> json = new LinkedHashMap<>();
        md.append("# Criteria against the oracle at the first drop point\n\n");
        md.append(String.format(Locale.ROOT, "%d run(s) (seeds %s), epoch %d, prune %.2f, scope %s%s. Spearman's rho and Kendall's tau-b between each "
                + "criterion's filter importance and the oracle's (accuracy drop when the filter alone is zeroed), over the filters of the layers in the columns; "
                + "mean ± sample std over runs. \"Overlap\" is the share of the oracle's drop set the criterion drops too (chance: the prune fraction). "
                + "n/a: a ranking is constant or undefined.\n\n",
                runs.size(), seeds(runs), first.epoch(), first.options().prune, first.options().scope.label(), first.options().excludeFirst ? ", first layer excluded" : ""));
        List<String> criteria = new ArrayList<>(first.criteria().keySet());
        for (String oracle : ORACLES) {
            if (!first.criteria().containsKey(oracle)) continue;
            md.append("## Against `").append(oracle).append("`\n\n");
            md.append("| criterion | Spearman (global) | Kendall (global) |");
            List<String> layers = RankAgreement.of(first, criteria.get(0), oracle).layers();
            for (String l : layers) md.append(" Spearman ").append(l).append(" |");
            md.append(" drop-set overlap | scoring s |\n|---|---|---|");
            md.append("---|".repeat(layers.size())).append("---|---|\n");
            Map<String, Object> table = new LinkedHashMap<>();
            for (String c : criteria) {
                if (c.equals(oracle)) continue;
                List<RankAgreement> as = new ArrayList<>();
                for (CriteriaScores r : runs) as.add(RankAgreement.of(r, c, oracle));
                double[] gs = as.stream().mapToDouble(RankAgreement::globalSpearman).toArray();
                double[] gk = as.stream().mapToDouble(RankAgreement::globalKendall).toArray();
                double[] ov = as.stream().mapToDouble(RankAgreement::overlapFraction).toArray();
                double[] secs = runs.stream().mapToDouble(r -> r.criterion(c).seconds()).toArray();
                md.append("| ").append(c).append(" | ").append(pm(gs)).append(" | ").append(pm(gk)).append(" |");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("spearman_global", gs);
                row.put("kendall_global", gk);
                Map<String, Object> perLayer = new LinkedHashMap<>();
                for (int i = 0; i < layers.size(); i++) {
                    int li = i;
                    double[] v = as.stream().mapToDouble(a -> a.spearman()[li]).toArray();
                    md.append(' ').append(pm(v)).append(" |");
                    perLayer.put(layers.get(i), Map.of("spearman", v, "kendall", as.stream().mapToDouble(a -> a.kendall()[li]).toArray()));
                }
                md.append(' ').append(pm(ov)).append(" | ").append(String.format(Locale.ROOT, "%.2f", mean(secs))).append(" |\n");
                row.put("per_layer", perLayer);
                row.put("overlap", ov);
                row.put("seconds", secs);
                table.put(c, row);
            }
            md.append('\n');
            json.put(oracle, table);
        }
        List<XYChart> charts = scatter(first, criteria);
        int cols = charts.size() % 5 == 0 ? 5 : 4, rows = (charts.size() + cols - 1) / cols;
        while (charts.size() < rows * cols) charts.add(new XYChartBuilder().width(420).height(340).build());  // the grid must be full
        Png.write(outDir.resolve("agreement.png"), charts, rows, cols);
        md.append("![each criterion against the oracle (test split), ").append(first.file().getParent().getFileName()).append("](agreement.png)\n");
        AtomicFile.write(outDir.resolve("agreement.md"), md.toString());
        Json.writeAtomically(outDir.resolve("agreement.json"), Json.pretty(json));
        return md.toString();
    }

    /** Per criterion, the first run's filters: x = accuracy drop when zeroed alone (test split), y = the criterion's global importance rank. */
    private static List<XYChart> scatter(CriteriaScores run, List<String> criteria) {
        String oracle = run.criteria().containsKey("oracle-test") ? "oracle-test" : "oracle";
        CriteriaScores.Criterion ref = run.criterion(oracle);
        FilterSelection selection = FilterSelection.of(run.options());
        List<LayerScores> shapes = ref.layerScores(run.layers(), run.shapes());
        List<XYChart> charts = new ArrayList<>();
        for (String c : criteria) {
            if (c.equals(oracle)) continue;
            CriteriaScores.Criterion cr = run.criterion(c);
            // global rank of importance among eligible filters: 1 = the most important
            List<double[]> pts = new ArrayList<>();  // layer, filter, importance
            for (int i = 0; i < shapes.size(); i++)
                if (selection.eligible(i, shapes.get(i))) for (int f = 0; f < shapes.get(i).filters(); f++) pts.add(new double[] {i, f, cr.importance(i, f)});
            double[] imp = pts.stream().mapToDouble(p -> p[2]).toArray();
            double[] rank = new org.apache.commons.math3.stat.ranking.NaturalRanking().rank(imp);
            RankAgreement a = RankAgreement.of(run, c, oracle);
            XYChart chart = new XYChartBuilder().width(420).height(340)
                    .title(String.format(Locale.ROOT, "%s (rho %s)", c, fmt(a.globalSpearman())))
                    .xAxisTitle("accuracy drop when zeroed (points, " + oracle + ")").yAxisTitle("importance rank (" + pts.size() + " = most)").build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(5);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
            for (int i = 0; i < shapes.size(); i++) {
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                for (int k = 0; k < pts.size(); k++) {
                    if ((int) pts.get(k)[0] != i) continue;
                    xs.add(100 * ref.importance(i, (int) pts.get(k)[1]));
                    ys.add(Double.isNaN(rank[k]) ? 0 : rank[k]);
                }
                if (!xs.isEmpty()) chart.addSeries(run.layers().get(i), xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        }
        return charts;
    }

    private static String seeds(List<CriteriaScores> runs) {
        List<String> s = new ArrayList<>();
        for (CriteriaScores r : runs) s.add(String.valueOf(r.seed()));
        return String.join(", ", s);
    }

    static String pm(double[] v) {
        double m = mean(v);
        if (Double.isNaN(m)) return "n/a";
        int n = 0;
        for (double d : v) if (!Double.isNaN(d)) n++;
        if (n < 2) return fmt(m) + (n < v.length ? " (" + n + " of " + v.length + ")" : "");
        double ss = 0;
        for (double d : v) if (!Double.isNaN(d)) ss += (d - m) * (d - m);
        return fmt(m) + " ± " + fmt(Math.sqrt(ss / (n - 1))) + (n < v.length ? " (" + n + " of " + v.length + ")" : "");
    }

    /** Mean of the defined values (NaN when none is). */
    static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double d : v) if (!Double.isNaN(d)) { s += d; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    private static String fmt(double d) { return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.2f", d); }
}
