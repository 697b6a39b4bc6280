package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rank correlations against slow float64 definitions (ties included), and the orientation and overlap of {@link RankAgreement}. */
class RankAgreementTest {

    /** Average ranks (1-based), ties sharing the mean of their positions. */
    private static double[] ranks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int less = 0, equal = 0;
            for (double w : v) { if (w < v[i]) less++; else if (w == v[i]) equal++; }
            r[i] = less + (equal + 1) / 2.0;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.length; my /= y.length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my); }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Kendall's tau-b by its definition: (concordant - discordant) / sqrt((n0 - ties x)(n0 - ties y)). */
    private static double tauB(double[] x, double[] y) {
        long c = 0, d = 0, tx = 0, ty = 0, n0 = 0;
        for (int i = 0; i < x.length; i++)
            for (int j = i + 1; j < x.length; j++) {
                n0++;
                double a = Math.signum(x[i] - x[j]), b = Math.signum(y[i] - y[j]);
                if (a == 0) tx++;
                if (b == 0) ty++;
                if (a * b > 0) c++; else if (a * b < 0) d++;
            }
        return (c - d) / Math.sqrt((double) (n0 - tx) * (n0 - ty));
    }

    @Test void correlationsEqualTheirDefinitionsWithTies() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + r.nextInt(60);
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(8);                       // many ties, like the oracle's accuracy drops
                y[i] = 0.5 * x[i] + r.nextGaussian();
            }
            assertEquals(pearson(ranks(x), ranks(y)), RankAgreement.spearman(x, y), 1e-12);
            assertEquals(tauB(x, y), RankAgreement.kendall(x, y), 1e-12);
        }
    }

    @Test void undefinedRankingsGiveNaN() {
        assertTrue(Double.isNaN(RankAgreement.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        assertTrue(Double.isNaN(RankAgreement.kendall(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3})));
    }

    private static CriteriaScores run(ReprOptions o, Map<String, CriteriaScores.Criterion> criteria) {
        return new CriteriaScores(Path.of("x", "criteria-scores.json"), 20, 1, o, List.of("c1", "c2", "c3"),
                List.of(new int[] {4, 3, 3, 3}, new int[] {10, 4, 3, 3}, new int[] {10, 10, 3, 3}), criteria);
    }

    @Test void aCriterionThatDropsTheHighestIsTurnedBeforeComparing() {
        Random r = new Random(3);
        float[][] imp = {new float[4], new float[10], new float[10]};
        for (float[] l : imp) for (int i = 0; i < l.length; i++) l[i] = r.nextFloat();
        float[][] neg = new float[3][];
        for (int i = 0; i < 3; i++) { neg[i] = imp[i].clone(); for (int j = 0; j < neg[i].length; j++) neg[i][j] = -neg[i][j]; }
        float[][] rnd = {new float[4], new float[10], new float[10]};
        for (float[] l : rnd) for (int i = 0; i < l.length; i++) l[i] = r.nextFloat();
        Map<String, CriteriaScores.Criterion> m = new LinkedHashMap<>();
        m.put("oracle", new CriteriaScores.Criterion("oracle", false, 0, List.of(imp)));
        m.put("same-turned", new CriteriaScores.Criterion("same-turned", true, 0, List.of(neg)));   // like ortho: high = drop
        m.put("same-unturned", new CriteriaScores.Criterion("same-unturned", false, 0, List.of(neg)));
        m.put("other", new CriteriaScores.Criterion("other", false, 0, List.of(rnd)));
        ReprOptions o = new ReprOptions();
        o.excludeFirst = true;
        CriteriaScores s = run(o, m);

        RankAgreement same = RankAgreement.of(s, "same-turned", "oracle");
        assertEquals(List.of("c2", "c3"), same.layers(), "the excluded first layer is not compared");
        assertEquals(20, same.eligible());
        assertEquals(1.0, same.globalSpearman(), 1e-12);
        assertEquals(1.0, same.globalKendall(), 1e-12);
        assertEquals(6, same.dropped(), "30 % of 20 eligible filters");
        assertEquals(6, same.overlap());
        RankAgreement all = RankAgreement.of(s.everyLayer(), "same-turned", "oracle");
        assertEquals(List.of("c1", "c2", "c3"), all.layers(), "--all-layers lifts the run's exclusion");
        assertEquals(24, all.eligible());
        assertEquals(7, all.dropped(), "30 % of 24, rounded");
        RankAgreement opposite = RankAgreement.of(s, "same-unturned", "oracle");
        assertEquals(-1.0, opposite.globalSpearman(), 1e-12);
        assertEquals(0, opposite.overlap());
        RankAgreement other = RankAgreement.of(s, "other", "oracle");
        assertTrue(Math.abs(other.globalSpearman()) < 0.999);
        assertEquals(other.overlap() / 6.0, other.overlapFraction(), 1e-12);
    }
}
