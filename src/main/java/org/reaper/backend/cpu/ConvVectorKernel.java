package org.reaper.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The 4 x 32 direct-convolution tile on 16-lane (AVX-512) vectors; created by {@link GemmVectorKernel#convKernel}. */
final class ConvVectorKernel extends ConvMicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;

    ConvVectorKernel() { super(4); }

    @Override void full(int kc, float[] ap, int ao, float[] img, int b0, int b1, int[] offs, int oo,
                        float[] c, int co, int ldc, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int o = offs[oo + p];
            FloatVector v0 = FloatVector.fromArray(S, img, b0 + o), v1 = FloatVector.fromArray(S, img, b1 + o);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao + 0]);
            c00 = v0.fma(a0, c00); c01 = v1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = v0.fma(a1, c10); c11 = v1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = v0.fma(a2, c20); c21 = v1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = v0.fma(a3, c30); c31 = v1.fma(a3, c31);
            ao += 4;
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

    @Override void filterTile(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                              float[] c, int co, int ldc, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int t0 = taps[to + 0]; int t1 = taps[to + 1]; int t2 = taps[to + 2]; int t3 = taps[to + 3];
        for (int q = 0; q < np; q++) {
            int o = pix[po + q], b = bo + q * ldb;
            FloatVector v0 = FloatVector.fromArray(S, dyT, b), v1 = FloatVector.fromArray(S, dyT, b + L);
            FloatVector a0 = FloatVector.broadcast(S, img[t0 + o]);
            c00 = v0.fma(a0, c00); c01 = v1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, img[t1 + o]);
            c10 = v0.fma(a1, c10); c11 = v1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, img[t2 + o]);
            c20 = v0.fma(a2, c20); c21 = v1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, img[t3 + o]);
            c30 = v0.fma(a3, c30); c31 = v1.fma(a3, c31);
        }
        if (beta == 0f) {
            c00.intoArray(c, co + 0 * ldc); c01.intoArray(c, co + 0 * ldc + L);
            c10.intoArray(c, co + 1 * ldc); c11.intoArray(c, co + 1 * ldc + L);
            c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        } else {
            c00.add(FloatVector.fromArray(S, c, co + 0 * ldc)).intoArray(c, co + 0 * ldc);
            c01.add(FloatVector.fromArray(S, c, co + 0 * ldc + L)).intoArray(c, co + 0 * ldc + L);
            c10.add(FloatVector.fromArray(S, c, co + 1 * ldc)).intoArray(c, co + 1 * ldc);
            c11.add(FloatVector.fromArray(S, c, co + 1 * ldc + L)).intoArray(c, co + 1 * ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
        }
    }
}
