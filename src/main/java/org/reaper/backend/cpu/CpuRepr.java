package org.reaper.backend.cpu;

import org.reaper.backend.KernelChecks;
import org.reaper.backend.OrthoOptions;
import org.reaper.tensor.Tensor;

/** RePr kernels: per-row scaling and the inter-filter orthogonality scores (Gram matrix in double). */
final class CpuRepr {
    private CpuRepr() {}

    static void scaleRows(CpuParallel par, Tensor t, Tensor rowScale) {
        int rows = KernelChecks.scaleRows(t, rowScale);
        float[] a = CpuStorage.data(t), sc = CpuStorage.data(rowScale);
        int len = rows == 0 ? 0 : t.numel() / rows;
        par.forRange(rows, Math.max(1, CpuElementwise.GRAIN / Math.max(1, len)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float s = sc[r];
                int off = r * len;
                for (int j = 0; j < len; j++) a[off + j] *= s;
            }
        });
    }

    static void orthoScores(CpuParallel par, Tensor w, OrthoOptions o, Tensor scores) {
        int j = KernelChecks.orthoScores(w, o, scores);
        if (j == 0) return;
        int d = w.numel() / j;
        float[] wa = CpuStorage.data(w), out = CpuStorage.data(scores);
        double[] u = normalizedRows(wa, j, d, o.normalization());
        double[] gram = new double[j * j];
        // rows f and j-1-f together balance the triangular work across threads
        par.forRange((j + 1) / 2, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                gramRow(u, j, d, p, gram);
                if (j - 1 - p != p) gramRow(u, j, d, j - 1 - p, gram);
            }
        });
        for (int f = 0; f < j; f++) {
            double s = 0;
            for (int k = 0; k < j; k++) {
                if (k == f) continue;
                double gv = f < k ? gram[f * j + k] : gram[k * j + f];
                s += o.absPerElement() ? Math.abs(gv) : gv;
            }
            out[f] = (float) (o.absPerElement() ? s / j : Math.abs(s / j));
        }
    }

    /** Upper-triangle entries G[f, k] for k > f. */
    private static void gramRow(double[] u, int j, int d, int f, double[] gram) {
        int fo = f * d;
        for (int k = f + 1; k < j; k++) {
            int ko = k * d;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < d; i += 4) {
                s0 += u[fo + i] * u[ko + i]; s1 += u[fo + i + 1] * u[ko + i + 1];
                s2 += u[fo + i + 2] * u[ko + i + 2]; s3 += u[fo + i + 3] * u[ko + i + 3];
            }
            for (; i < d; i++) s0 += u[fo + i] * u[ko + i];
            gram[f * j + k] = (s0 + s1) + (s2 + s3);
        }
    }

    private static double[] normalizedRows(float[] wa, int j, int d, OrthoOptions.Normalization n) {
        double[] u = new double[j * d];
        for (int i = 0; i < j * d; i++) u[i] = wa[i];
        if (n == OrthoOptions.Normalization.FROBENIUS) {
            double norm = Math.sqrt(sumSquares(u, 0, j * d));
            if (norm > 0) for (int i = 0; i < j * d; i++) u[i] /= norm;
        } else {
            for (int f = 0; f < j; f++) {
                double norm = Math.sqrt(sumSquares(u, f * d, (f + 1) * d));
                if (norm > 0) for (int i = f * d; i < (f + 1) * d; i++) u[i] /= norm;
            }
        }
        return u;
    }

    private static double sumSquares(double[] u, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += u[i] * u[i];
        return s;
    }


    static void gatherRows(Tensor src, int[] rows, Tensor dst) {
        int len = KernelChecks.rowMove("gatherRows", src, rows, dst);
        float[] a = CpuStorage.data(src), b = CpuStorage.data(dst);
        for (int i = 0; i < rows.length; i++) System.arraycopy(a, rows[i] * len, b, i * len, len);
    }

    static void scatterRows(Tensor src, int[] rows, Tensor dst) {
        int len = KernelChecks.rowMove("scatterRows", dst, rows, src);
        float[] a = CpuStorage.data(src), b = CpuStorage.data(dst);
        for (int i = 0; i < rows.length; i++) System.arraycopy(a, i * len, b, rows[i] * len, len);
    }
}
