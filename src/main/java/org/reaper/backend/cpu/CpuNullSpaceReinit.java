package org.reaper.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.reaper.backend.KernelChecks;
import org.reaper.backend.NullSpaceReinit;
import org.reaper.rng.Philox;
import org.reaper.tensor.Tensor;

/**
 * {@link NullSpaceReinit} on the CPU, in double. Which constraints are used is decided one at a time
 * (a residual test against the ones before, as the CUDA kernel does); the space they leave free is
 * then taken from EJML's SVD of the chosen constraints (the right singular vectors beyond their rank),
 * and each Philox draw is projected onto it and orthogonalised against the new filters before it.
 */
final class CpuNullSpaceReinit {
    private static final double DEPENDENT = 1e-9;

    private CpuNullSpaceReinit() {}

    static NullSpaceReinit.Result apply(Tensor weight, Tensor bias, NullSpaceReinit.Request q) {
        int d = KernelChecks.reinitNullSpace(weight, bias, q);
        float[] w = CpuStorage.data(weight), old = CpuStorage.data(q.oldRows());
        int m = q.dropped().length, nKept = q.keptOrder().length;

        List<double[]> chosen = new ArrayList<>(), basis = new ArrayList<>();
        for (int c = 0; c < nKept + m; c++) {
            double[] v = c < nKept ? row(w, q.keptOrder()[c], d) : row(old, c - nKept, d);
            if (addIfIndependent(basis, v.clone(), d) && chosen.size() < q.budget()) chosen.add(v);
        }
        int used = chosen.size(), wanted = basis.size();
        DMatrixRMaj free = freeSpace(chosen, d);

        double scale = switch (q.scale()) {
            case TARGET_NORM -> q.target();
            case MEAN_KEPT_NORM -> nKept == 0 ? q.target() : meanNorm(w, q.keptOrder(), d);
            case FAN_IN_CLIP -> 1.0;
        };
        double clip = 1.0 / Math.sqrt(d);
        long consumed = 0, perDraw = (d + 1) / 2;
        List<double[]> fresh = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double[] dir = null, draw = null;
            for (int attempt = 0; attempt < 4 && dir == null; attempt++) {
                draw = normals(q.seed(), q.offset() + consumed, d);
                consumed += perDraw;
                if (used + fresh.size() >= d) break;              // no room: the draw itself, normalised
                double[] p = project(free, draw);
                if (addIfIndependent(fresh, p, d, norm(draw))) dir = fresh.get(fresh.size() - 1);
            }
            if (dir == null) dir = unit(draw);
            int f = q.dropped()[i];
            for (int k = 0; k < d; k++) {
                double x = dir[k] * scale;
                if (q.scale() == NullSpaceReinit.Scale.FAN_IN_CLIP) x = Math.max(-clip, Math.min(clip, x));
                w[f * d + k] = (float) x;
            }
            if (bias != null) CpuStorage.data(bias)[f] = 0f;
        }
        return measure(w, old, q, d, used, wanted, consumed);
    }

    /** Orthonormal columns spanning the complement of the rows of `chosen` (all of R^d when there are none). */
    private static DMatrixRMaj freeSpace(List<double[]> chosen, int d) {
        if (chosen.isEmpty()) return CommonOps_DDRM.identity(d);
        DMatrixRMaj a = new DMatrixRMaj(chosen.size(), d);
        for (int r = 0; r < chosen.size(); r++) for (int k = 0; k < d; k++) a.set(r, k, chosen.get(r)[k]);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, d, false, true, false);
        if (!svd.decompose(a)) throw new IllegalStateException("EJML's SVD did not converge on " + a.numRows + " x " + d + " constraints");
        return SingularOps_DDRM.nullSpace(svd, null, SingularOps_DDRM.singularThreshold(svd));
    }

    /** free (free^T v): v's component in the free space. */
    private static double[] project(DMatrixRMaj free, double[] v) {
        DMatrixRMaj x = DMatrixRMaj.wrap(v.length, 1, v), c = new DMatrixRMaj(free.numCols, 1), p = new DMatrixRMaj(v.length, 1);
        CommonOps_DDRM.multTransA(free, x, c);
        CommonOps_DDRM.mult(free, c, p);
        return p.data;
    }

    private static boolean addIfIndependent(List<double[]> basis, double[] v, int d) { return addIfIndependent(basis, v, d, norm(v)); }

    /** Gram-Schmidt twice against `basis`; adds the normalised residual unless it is below 1e-9 of n0. */
    private static boolean addIfIndependent(List<double[]> basis, double[] v, int d, double n0) {
        if (n0 == 0 || basis.size() >= d) return false;
        for (int pass = 0; pass < 2; pass++)
            for (double[] b : basis) {
                double dot = dot(b, v);
                for (int k = 0; k < d; k++) v[k] -= dot * b[k];
            }
        double n = norm(v);
        if (n <= DEPENDENT * n0) return false;
        for (int k = 0; k < d; k++) v[k] /= n;
        basis.add(v);
        return true;
    }

    private static NullSpaceReinit.Result measure(float[] w, float[] old, NullSpaceReinit.Request q, int d, int used, int wanted, long consumed) {
        int m = q.dropped().length;
        double[] maxKept = new double[m], cosOld = new double[m], norms = new double[m];
        for (int i = 0; i < m; i++) {
            double[] v = row(w, q.dropped()[i], d);
            norms[i] = norm(v);
            for (int f : q.keptOrder()) maxKept[i] = Math.max(maxKept[i], absCos(v, row(w, f, d)));
            cosOld[i] = absCos(v, row(old, i, d));
        }
        return new NullSpaceReinit.Result(used, wanted, consumed, maxKept, cosOld, norms);
    }

    private static double meanNorm(float[] w, int[] rows, int d) {
        double s = 0;
        for (int f : rows) s += norm(row(w, f, d));
        return s / rows.length;
    }

    private static double[] normals(long seed, long offset, int d) {
        double[] v = new double[d];
        for (int k = 0; k < d; k++) v[k] = Philox.normal(seed, offset, k);
        return v;
    }

    private static double[] row(float[] a, int r, int d) {
        double[] v = new double[d];
        for (int k = 0; k < d; k++) v[k] = a[r * d + k];
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }

    private static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static double[] unit(double[] a) {
        double n = norm(a);
        double[] u = a.clone();
        if (n > 0) for (int k = 0; k < u.length; k++) u[k] /= n;
        return u;
    }

    private static double absCos(double[] a, double[] b) {
        double na = norm(a), nb = norm(b);
        return na == 0 || nb == 0 ? 0 : Math.abs(dot(a, b)) / (na * nb);
    }
}
