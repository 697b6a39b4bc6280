package org.reaper.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled MR x (2 vectors) micro-kernels on the Vector API (AVX-512: MR x 32 floats held in
 * 2*MR accumulators; per k one broadcast of A per row and two loads of B). Loaded only when the
 * module is present (see {@link GemmMicroKernel#select}). -Dreaper.gemm.mr=4|6 picks the tile
 * height (4, the default, divides the 16/32/64 channel counts of the CIFAR nets and ran fastest on
 * their conv GEMMs; an 8-row kernel grew too large for C2 and fell back to boxed vectors). The stores are written out inline: passing vectors to a helper that C2 fails to inline
 * boxes them and costs 8x.
 */
final class GemmVectorKernel extends GemmMicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = Integer.getInteger("reaper.gemm.mr", 4);

    GemmVectorKernel() {
        super(checkedMr(), 2 * L);
    }

    private static int checkedMr() {
        if (MR != 4 && MR != 6) throw new IllegalArgumentException("reaper.gemm.mr must be 4 or 6, got " + MR);
        return MR;
    }

    @Override ConvMicroKernel convKernel() { return L == 16 ? new ConvVectorKernel() : null; }

    @Override String describe() { return "vector " + MR + "x" + (2 * L) + " (" + S + ")"; }

    @Override void full(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float beta) {
        if (MR == 6) k6(kc, ap, ao, bp, bo, c, co, ldc, beta);
        else k4(kc, ap, ao, bp, bo, c, co, ldc, beta);
    }

    private static void k4(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + 0]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            ao += 4; bo += 2 * L;
        }
        if (beta == 0f) {
            c00.intoArray(c, co + 0 * ldc); c01.intoArray(c, co + 0 * ldc + L);
            c10.intoArray(c, co + 1 * ldc); c11.intoArray(c, co + 1 * ldc + L);
            c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        } else if (beta == 1f) {
            c00.add(FloatVector.fromArray(S, c, co + 0 * ldc)).intoArray(c, co + 0 * ldc);
            c01.add(FloatVector.fromArray(S, c, co + 0 * ldc + L)).intoArray(c, co + 0 * ldc + L);
            c10.add(FloatVector.fromArray(S, c, co + 1 * ldc)).intoArray(c, co + 1 * ldc);
            c11.add(FloatVector.fromArray(S, c, co + 1 * ldc + L)).intoArray(c, co + 1 * ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
        } else {
            FloatVector bv = FloatVector.broadcast(S, beta);
            FloatVector.fromArray(S, c, co + 0 * ldc).fma(bv, c00).intoArray(c, co + 0 * ldc);
            FloatVector.fromArray(S, c, co + 0 * ldc + L).fma(bv, c01).intoArray(c, co + 0 * ldc + L);
            FloatVector.fromArray(S, c, co + 1 * ldc).fma(bv, c10).intoArray(c, co + 1 * ldc);
            FloatVector.fromArray(S, c, co + 1 * ldc + L).fma(bv, c11).intoArray(c, co + 1 * ldc + L);
            FloatVector.fromArray(S, c, co + 2 * ldc).fma(bv, c20).intoArray(c, co + 2 * ldc);
            FloatVector.fromArray(S, c, co + 2 * ldc + L).fma(bv, c21).intoArray(c, co + 2 * ldc + L);
            FloatVector.fromArray(S, c, co + 3 * ldc).fma(bv, c30).intoArray(c, co + 3 * ldc);
            FloatVector.fromArray(S, c, co + 3 * ldc + L).fma(bv, c31).intoArray(c, co + 3 * ldc + L);
        }
    }

    private static void k6(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + 0]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
            ao += 6; bo += 2 * L;
        }
        if (beta == 0f) {
            c00.intoArray(c, co + 0 * ldc); c01.intoArray(c, co + 0 * ldc + L);
            c10.intoArray(c, co + 1 * ldc); c11.intoArray(c, co + 1 * ldc + L);
            c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
            c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
            c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        } else if (beta == 1f) {
            c00.add(FloatVector.fromArray(S, c, co + 0 * ldc)).intoArray(c, co + 0 * ldc);
            c01.add(FloatVector.fromArray(S, c, co + 0 * ldc + L)).intoArray(c, co + 0 * ldc + L);
            c10.add(FloatVector.fromArray(S, c, co + 1 * ldc)).intoArray(c, co + 1 * ldc);
            c11.add(FloatVector.fromArray(S, c, co + 1 * ldc + L)).intoArray(c, co + 1 * ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
            c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L)).intoArray(c, co + 4 * ldc + L);
            c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L)).intoArray(c, co + 5 * ldc + L);
        } else {
            FloatVector bv = FloatVector.broadcast(S, beta);
            FloatVector.fromArray(S, c, co + 0 * ldc).fma(bv, c00).intoArray(c, co + 0 * ldc);
            FloatVector.fromArray(S, c, co + 0 * ldc + L).fma(bv, c01).intoArray(c, co + 0 * ldc + L);
            FloatVector.fromArray(S, c, co + 1 * ldc).fma(bv, c10).intoArray(c, co + 1 * ldc);
            FloatVector.fromArray(S, c, co + 1 * ldc + L).fma(bv, c11).intoArray(c, co + 1 * ldc + L);
            FloatVector.fromArray(S, c, co + 2 * ldc).fma(bv, c20).intoArray(c, co + 2 * ldc);
            FloatVector.fromArray(S, c, co + 2 * ldc + L).fma(bv, c21).intoArray(c, co + 2 * ldc + L);
            FloatVector.fromArray(S, c, co + 3 * ldc).fma(bv, c30).intoArray(c, co + 3 * ldc);
            FloatVector.fromArray(S, c, co + 3 * ldc + L).fma(bv, c31).intoArray(c, co + 3 * ldc + L);
            FloatVector.fromArray(S, c, co + 4 * ldc).fma(bv, c40).intoArray(c, co + 4 * ldc);
            FloatVector.fromArray(S, c, co + 4 * ldc + L).fma(bv, c41).intoArray(c, co + 4 * ldc + L);
            FloatVector.fromArray(S, c, co + 5 * ldc).fma(bv, c50).intoArray(c, co + 5 * ldc);
            FloatVector.fromArray(S, c, co + 5 * ldc + L).fma(bv, c51).intoArray(c, co + 5 * ldc + L);
        }
    }
}
