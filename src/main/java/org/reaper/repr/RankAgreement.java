package org.reaper.repr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How well one criterion's ranking agrees with a reference (the oracle) on one run's filters: Spearman's rho (average
 * ranks for ties) and Kendall's tau-b of the importances, per eligible layer and over all eligible filters together
 * (the global ranking RePr uses), and the overlap of the two p% drop sets. A correlation is NaN where either side is
 * constant (e.g. a layer where zeroing any single filter changes no prediction).
 */
public record RankAgreement(String criterion, String reference, List<String> layers, double[] spearman, double[] kendall,
                            double globalSpearman, double globalKendall, int dropped, int overlap, int eligible) {

    /** Fraction of the reference's drop set that the criterion drops too (p when the two are unrelated). */
    public double overlapFraction() { return dropped == 0 ? Double.NaN : (double) overlap / dropped; }

    public static RankAgreement of(CriteriaScores run, String criterion, String reference) {
        CriteriaScores.Criterion c = run.criterion(criterion), r = run.criterion(reference);
        FilterSelection selection = FilterSelection.of(run.options());
        List<LayerScores> cs = c.layerScores(run.layers(), run.shapes()), rs = r.layerScores(run.layers(), run.shapes());
        List<String> names = new ArrayList<>();
        List<Double> sp = new ArrayList<>(), kt = new ArrayList<>();
        List<Double> allC = new ArrayList<>(), allR = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            if (!selection.eligible(i, cs.get(i))) continue;
            int n = cs.get(i).filters();
            double[] x = new double[n], y = new double[n];
            for (int f = 0; f < n; f++) {
                x[f] = c.importance(i, f);
                y[f] = r.importance(i, f);
                allC.add(x[f]);
                allR.add(y[f]);
            }
            names.add(run.layers().get(i));
            sp.add(spearman(x, y));
            kt.add(kendall(x, y));
        }
        double[] gx = allC.stream().mapToDouble(Double::doubleValue).toArray(), gy = allR.stream().mapToDouble(Double::doubleValue).toArray();
        Set<Long> dc = dropSet(selection.select(cs, c.dropHighest())), dr = dropSet(selection.select(rs, r.dropHighest()));
        int both = 0;
        for (long k : dr) if (dc.contains(k)) both++;
        return new RankAgreement(criterion, reference, names, sp.stream().mapToDouble(Double::doubleValue).toArray(),
                kt.stream().mapToDouble(Double::doubleValue).toArray(), spearman(gx, gy), kendall(gx, gy), dr.size(), both, gx.length);
    }

    static double spearman(double[] x, double[] y) {
        if (undefined(x) || undefined(y)) return Double.NaN;
        return new SpearmansCorrelation().correlation(x, y);
    }

    static double kendall(double[] x, double[] y) {
        if (undefined(x) || undefined(y)) return Double.NaN;
        return new KendallsCorrelation().correlation(x, y);
    }

    /** A ranking with a NaN score, or with every score equal, has no rank correlation. */
    private static boolean undefined(double[] v) {
        boolean constant = true;
        for (double d : v) {
            if (Double.isNaN(d)) return true;
            if (d != v[0]) constant = false;
        }
        return constant;
    }

    private static Set<Long> dropSet(DropPlan plan) {
        Set<Long> s = new HashSet<>();
        for (int i = 0; i < plan.layers().size(); i++) for (int f : plan.layers().get(i).dropped()) s.add(((long) i << 32) | f);
        return s;
    }
}
