package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * RePr's null-space re-initialisation on every backend against a float64 oracle computed with EJML's
 * SVD: the new filters are orthogonal to the space of the constraints they were meant to avoid, to
 * each other, have the norm the scaling says, and the fallback (too few free dimensions) uses exactly
 * as many constraints as fit. The CUDA rows also equal the CPU's to rounding.
 *
 * Bound: the new rows are computed in double and written as float32, so each element carries a
 * relative rounding error of at most 2^-24; for a unit row the error vector's norm is at most 2^-24 and
 * its cosine with any fixed direction at most that much more. Constraint rows are the float32 values
 * themselves (exact in double). So |cos| between a new row and the constraint space is below
 * 2^-24 plus the double computation's ~1e-15: 1e-6 leaves a margin of 16 and still catches any real
 * mistake (a skipped projection leaves |cos| ~ 1/sqrt(D) ~ 0.05-0.2).
 */
class NullSpaceReinitTest {
    private static final double BOUND = 1e-6;

    /** J filters of D weights, m dropped (every third), old values, scaling. */
    record Case(String name, int j, int d, int m, NullSpaceReinit.Scale scale) {}

    static List<Case> cases() {
        return List.of(new Case("roomy (c3-32 inner layer shape)", 32, 288, 9, NullSpaceReinit.Scale.TARGET_NORM),
                new Case("first layer: 32 filters in 27 dims", 32, 27, 9, NullSpaceReinit.Scale.TARGET_NORM),
                new Case("mean kept norm", 16, 72, 5, NullSpaceReinit.Scale.MEAN_KEPT_NORM),
                new Case("fan-in clip", 12, 50, 4, NullSpaceReinit.Scale.FAN_IN_CLIP));
    }

    record Outcome(float[] weight, NullSpaceReinit.Result result, int[] kept, int[] dropped, float[] old) {}

    static Outcome run(Backend b, Case c) {
        float[] w = OpsKit.randomFloats("reinit-w" + c.name(), c.j() * c.d(), -1, 1);
        int[] dropped = new int[c.m()];
        for (int i = 0; i < c.m(); i++) dropped[i] = 1 + 3 * i;
        float[] old = new float[c.m() * c.d()];
        for (int i = 0; i < c.m(); i++) System.arraycopy(w, dropped[i] * c.d(), old, i * c.d(), c.d());
        for (int f : dropped) for (int k = 0; k < c.d(); k++) w[f * c.d() + k] = 0f;   // dropped rows are zero after the drop
        List<Integer> keptList = new ArrayList<>();
        boolean[] isDropped = new boolean[c.j()];
        for (int f : dropped) isDropped[f] = true;
        for (int f = c.j() - 1; f >= 0; f--) if (!isDropped[f]) keptList.add(f);   // an order other than the index order
        int[] kept = keptList.stream().mapToInt(Integer::intValue).toArray();
        float[] bias = OpsKit.randomFloats("reinit-b" + c.name(), c.j(), -1, 1);
        try (TensorScope s = TensorScope.open()) {
            Tensor tw = b.fromHost(w, Shape.of(c.j(), c.d())), tb = b.fromHost(bias, Shape.of(c.j())), to = b.fromHost(old, Shape.of(c.m(), c.d()));
            NullSpaceReinit.Result r = b.reinitNullSpace(tw, tb, new NullSpaceReinit.Request(kept, to, dropped, Math.max(0, c.d() - c.m()), c.scale(),
                    0.7, 1234L, 99L));
            float[] nb = b.toHost(tb);
            for (int f : dropped) assertEquals(0f, nb[f], "bias of a re-initialised filter");
            return new Outcome(b.toHost(tw), r, kept, dropped, old);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void newFiltersAreOrthogonalToTheConstraintSpaceOfAnSvdOracle(Backend b) {
        for (Case c : cases()) {
            Outcome o = run(b, c);
            int d = c.d(), m = c.m(), budget = d - m;
            // the constraints in order, and the oracle's choice of the first `budget` independent ones (rank by SVD)
            List<double[]> constraints = new ArrayList<>();
            for (int f : o.kept()) constraints.add(row(o.weight(), f, d));
            for (int i = 0; i < m; i++) constraints.add(row(o.old(), i, d));
            int rankAll = rank(constraints, d);
            List<double[]> chosen = new ArrayList<>();
            for (double[] v : constraints) {
                if (chosen.size() == budget) break;
                List<double[]> trial = new ArrayList<>(chosen);
                trial.add(v);
                if (rank(trial, d) > chosen.size()) chosen.add(v);
            }
            assertEquals(chosen.size(), o.result().constraintsUsed(), c.name() + ": constraints used on " + b);
            assertEquals(rankAll, o.result().constraintsWanted(), c.name() + ": rank of all constraints on " + b);
            DMatrixRMaj rowSpace = orthonormalRowSpace(chosen, d);
            double scale = c.scale() == NullSpaceReinit.Scale.MEAN_KEPT_NORM ? meanNorm(o.weight(), o.kept(), d) : c.scale() == NullSpaceReinit.Scale.FAN_IN_CLIP ? 1 : 0.7;
            for (int i = 0; i < m; i++) {
                double[] v = row(o.weight(), o.dropped()[i], d);
                double n = norm(v);
                if (c.scale() != NullSpaceReinit.Scale.FAN_IN_CLIP) {
                    assertEquals(scale, n, 1e-6 * scale, c.name() + ": norm of new filter " + i + " on " + b);
                    assertTrue(projectedCos(rowSpace, v) < BOUND, c.name() + ": new filter " + i + " leaves the null space on " + b + " (|cos| "
                            + projectedCos(rowSpace, v) + ")");
                    for (int k = 0; k < i; k++)
                        assertTrue(absCos(v, row(o.weight(), o.dropped()[k], d)) < BOUND, c.name() + ": new filters " + k + " and " + i + " on " + b);
                } else {
                    for (double x : v) assertTrue(Math.abs(x) <= 1 / Math.sqrt(d) + 1e-7, c.name() + ": clipped element " + x);
                }
                assertEquals(n, o.result().norms()[i], 1e-9 * Math.max(1, n), c.name() + ": reported norm");
            }
            assertEquals((long) m * ((d + 1) / 2), o.result().blocksConsumed(), c.name() + ": one Philox draw per new filter");
        }
    }

    @Test
    void cudaRowsEqualTheCpusToRounding() {
        Backend cuda = TestBackends.cuda();
        Assumptions.assumeTrue(cuda != null, "no CUDA backend (GPU or stand-in) is usable here");
        for (Case c : cases()) {
            Outcome cpu = run(new CpuBackend(1), c), dev = run(cuda, c);
            assertEquals(cpu.result().constraintsUsed(), dev.result().constraintsUsed());
            for (int i = 0; i < cpu.weight().length; i++)
                assertEquals(cpu.weight()[i], dev.weight()[i], 2e-6, c.name() + ": element " + i);
            for (int i = 0; i < c.m(); i++) {
                boolean fullCpu = cpu.result().maxCosKept()[i] < 1e-4 && cpu.result().cosOld()[i] < 1e-4;
                boolean fullDev = dev.result().maxCosKept()[i] < 1e-4 && dev.result().cosOld()[i] < 1e-4;
                assertEquals(fullCpu, fullDev, c.name() + ": filter " + i + " counted fully orthogonal on one backend only");
            }
        }
    }

    private static int rank(List<double[]> rows, int d) {
        if (rows.isEmpty()) return 0;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows.size(), d, false, false, true);
        DMatrixRMaj a = matrix(rows, d);
        assertTrue(svd.decompose(a));
        return SingularOps_DDRM.rank(svd, 1e-9 * Math.max(1, maxRowNorm(rows)));
    }

    /** Orthonormal rows spanning the rows of `rows` (the right singular vectors of non-zero singular values). */
    private static DMatrixRMaj orthonormalRowSpace(List<double[]> rows, int d) {
        if (rows.isEmpty()) return new DMatrixRMaj(0, d);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows.size(), d, false, true, true);
        assertTrue(svd.decompose(matrix(rows, d)));
        DMatrixRMaj vt = svd.getV(null, true);
        double[] sv = svd.getSingularValues();
        int r = 0;
        for (double s : sv) if (s > 1e-9) r++;
        DMatrixRMaj out = new DMatrixRMaj(r, d);
        int k = 0;
        for (int i = 0; i < sv.length; i++) if (sv[i] > 1e-9) { for (int c = 0; c < d; c++) out.set(k, c, vt.get(i, c)); k++; }
        return out;
    }

    /** |projection of v onto the row space| / |v|: the |cos| between v and that space. */
    private static double projectedCos(DMatrixRMaj basis, double[] v) {
        double s = 0;
        for (int r = 0; r < basis.numRows; r++) {
            double dot = 0;
            for (int c = 0; c < v.length; c++) dot += basis.get(r, c) * v[c];
            s += dot * dot;
        }
        return Math.sqrt(s) / norm(v);
    }

    private static DMatrixRMaj matrix(List<double[]> rows, int d) {
        DMatrixRMaj a = new DMatrixRMaj(rows.size(), d);
        for (int r = 0; r < rows.size(); r++) for (int c = 0; c < d; c++) a.set(r, c, rows.get(r)[c]);
        return a;
    }

    private static double maxRowNorm(List<double[]> rows) { return rows.stream().mapToDouble(NullSpaceReinitTest::norm).max().orElse(1); }

    private static double meanNorm(float[] w, int[] rows, int d) {
        double s = 0;
        for (int f : rows) s += norm(row(w, f, d));
        return s / rows.length;
    }

    private static double[] row(float[] a, int r, int d) {
        double[] v = new double[d];
        for (int k = 0; k < d; k++) v[k] = a[r * d + k];
        return v;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }

    private static double absCos(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return Math.abs(s) / (norm(a) * norm(b));
    }
}
