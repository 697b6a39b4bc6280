package org.reaper.backend.cpu;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Cache-blocked single-precision GEMM, C = alpha * op(A) * op(B) + beta * C (row-major), in the
 * BLIS layout: for each NC-column block and KC-deep slice, B is packed into NR-wide micro-panels
 * (kept in L1 by the micro-kernel), and each MC-row block of A (times alpha) into MR-high
 * micro-panels (kept in L2); a {@link GemmMicroKernel} then sweeps the register tiles.
 *
 * <p>{@link #gemm(CpuParallel, boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}
 * splits C into column (or row) stripes, one per worker; {@link #gemmSerial} runs on the calling
 * thread only, for kernels (conv) that already parallelise over the batch.
 */
final class CpuGemm {
    static final GemmMicroKernel KERNEL = GemmMicroKernel.select();
    private static final int MR = KERNEL.mr, NR = KERNEL.nr;
    private static final int KC = 256;
    private static final int MC = roundUp(128, MR);
    private static final int NC = roundUp(2048, NR);
    /** Below this many multiply-adds a GEMM is not worth waking a second thread. */
    private static final long PARALLEL_MIN_MACS = 1L << 18;

    /** Per-thread packing buffers (the pool's workers are fixed, so these are allocated once per thread). */
    private static final ThreadLocal<float[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new float[][]{new float[MC * KC], new float[KC * NC], new float[MR * NR]});

    private CpuGemm() {}

    /** Height of the micro-kernel's register tile (rows of C per tile). */
    static int mr() { return MR; }

    /** KC: depth of one packed slice. */
    static int kc() { return KC; }

    /** Width of the micro-kernel's register tile (columns of C per tile). */
    static int nr() { return NR; }

    static String describe() { return KERNEL.describe() + ", blocks MC=" + MC + " KC=" + KC + " NC=" + NC; }

    /** The Backend entry: 2-D tensors, shapes checked. */
    static void gemm(CpuParallel par, boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        KernelChecks.GemmDims d = KernelChecks.gemm(ta, tb, a, b, c);
        int n = d.n();
        gemm(par, ta, tb, d.m(), n, d.k(), alpha, CpuStorage.data(a), 0, a.dim(1), CpuStorage.data(b), 0, b.dim(1),
                beta, CpuStorage.data(c), 0, n);
    }

    /**
     * Array-level GEMM on all workers. op(A) is m x k, op(B) is k x n, C is m x n; lda/ldb/ldc are
     * the row strides of the arrays as stored (A is k x m when transposed, B is n x k when transposed).
     */
    static void gemm(CpuParallel par, boolean ta, boolean tb, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int threads = par.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_MACS) {
            gemmSerial(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int colTiles = (n + NR - 1) / NR, rowTiles = (m + MR - 1) / MR;
        if (colTiles >= threads && (colTiles >= rowTiles || rowTiles < threads)) {
            par.forRange(colTiles, 1, (s, e) -> {
                int j0 = s * NR, j1 = Math.min(n, e * NR);
                gemmSerial(ta, tb, m, j1 - j0, k, alpha, a, aOff, lda, b, bOff + (tb ? j0 * ldb : j0), ldb,
                        beta, c, cOff + j0, ldc);
            });
        } else {
            par.forRange(rowTiles, 1, (s, e) -> {
                int i0 = s * MR, i1 = Math.min(m, e * MR);
                gemmSerial(ta, tb, i1 - i0, n, k, alpha, a, aOff + (ta ? i0 : i0 * lda), lda, b, bOff, ldb,
                        beta, c, cOff + i0 * ldc, ldc);
            });
        }
    }

    /** Array-level GEMM on the calling thread (same arguments as the parallel one). */
    static void gemmSerial(boolean ta, boolean tb, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0 || alpha == 0f) { scaleC(m, n, beta, c, cOff, ldc); return; }
        float[][] scratch = SCRATCH.get();
        float[] ap = scratch[0], bp = scratch[1], tile = scratch[2];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float blockBeta = pc == 0 ? beta : 1f;
                packB(tb, b, bOff, ldb, pc, jc, kc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(ta, a, aOff, lda, ic, pc, mc, kc, alpha, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr), bo = (jr / NR) * kc * NR;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir), ao = (ir / MR) * kc * MR;
                            int co = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == MR && cols == NR) KERNEL.full(kc, ap, ao, bp, bo, c, co, ldc, blockBeta);
                            else KERNEL.partial(kc, ap, ao, bp, bo, c, co, ldc, blockBeta, rows, cols, tile);
                        }
                    }
                }
            }
        }
    }

    /** C = beta * C (beta == 0 clears, ignoring NaNs). */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int o = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, o, o + n, 0f);
            else for (int j = 0; j < n; j++) c[o + j] *= beta;
        }
    }

    /** alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc] into MR-row micro-panels (MR = {@link #mr()}): ap[panel][p][r], zero-padded rows. */
    private static void packA(boolean ta, float[] a, int aOff, int lda, int i0, int p0, int mc, int kc, float alpha, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), base = (ir / MR) * kc * MR;
            if (!ta) {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0, dst = base + r;
                    for (int p = 0; p < kc; p++) ap[dst + p * MR] = alpha * a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir, dst = base + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = alpha * a[src + r];
                }
            }
            if (rows < MR)
                for (int p = 0; p < kc; p++)
                    for (int r = rows; r < MR; r++) ap[base + p * MR + r] = 0f;
        }
    }

    /** op(B)[p0 .. p0+kc, j0 .. j0+nc] into NR-column micro-panels: bp[panel][p][j], zero-padded columns. */
    private static void packB(boolean tb, float[] b, int bOff, int ldb, int p0, int j0, int kc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr), base = (jr / NR) * kc * NR;
            if (!tb) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + jr, bp, dst, cols);
                    if (cols < NR) java.util.Arrays.fill(bp, dst + cols, dst + NR, 0f);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (j0 + jr + j) * ldb + p0, dst = base + j;
                    for (int p = 0; p < kc; p++) bp[dst + p * NR] = b[src + p];
                }
                if (cols < NR)
                    for (int p = 0; p < kc; p++) java.util.Arrays.fill(bp, base + p * NR + cols, base + p * NR + NR, 0f);
            }
        }
    }

    private static int roundUp(int v, int to) { return (v + to - 1) / to * to; }
}
