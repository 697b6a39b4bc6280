package org.reaper.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The 8 x 32 direct-convolution tile on 16-lane (AVX-512) vectors; created by {@link GemmVectorKernel#convKernel}. */
final class ConvVectorKernel extends ConvMicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;

    ConvVectorKernel() { super(8); }

    @Override void filterPixels(float[] img, int[] taps, int to, int[] chunks, int n, float[] dy, int dyo, int p,
                                float[] acc, int ao, int accStride) {
        // the partial sums start from acc, so the epilogue only stores (no vector add there: see benchmarks/README.md)
        FloatVector c00 = FloatVector.fromArray(S, acc, ao + 0 * accStride + 0), c01 = FloatVector.fromArray(S, acc, ao + 0 * accStride + 16), c02 = FloatVector.fromArray(S, acc, ao + 0 * accStride + 32), c03 = FloatVector.fromArray(S, acc, ao + 0 * accStride + 48), c04 = FloatVector.fromArray(S, acc, ao + 0 * accStride + 64), c05 = FloatVector.fromArray(S, acc, ao + 0 * accStride + 80);
        FloatVector c10 = FloatVector.fromArray(S, acc, ao + 1 * accStride + 0), c11 = FloatVector.fromArray(S, acc, ao + 1 * accStride + 16), c12 = FloatVector.fromArray(S, acc, ao + 1 * accStride + 32), c13 = FloatVector.fromArray(S, acc, ao + 1 * accStride + 48), c14 = FloatVector.fromArray(S, acc, ao + 1 * accStride + 64), c15 = FloatVector.fromArray(S, acc, ao + 1 * accStride + 80);
        FloatVector c20 = FloatVector.fromArray(S, acc, ao + 2 * accStride + 0), c21 = FloatVector.fromArray(S, acc, ao + 2 * accStride + 16), c22 = FloatVector.fromArray(S, acc, ao + 2 * accStride + 32), c23 = FloatVector.fromArray(S, acc, ao + 2 * accStride + 48), c24 = FloatVector.fromArray(S, acc, ao + 2 * accStride + 64), c25 = FloatVector.fromArray(S, acc, ao + 2 * accStride + 80);
        FloatVector c30 = FloatVector.fromArray(S, acc, ao + 3 * accStride + 0), c31 = FloatVector.fromArray(S, acc, ao + 3 * accStride + 16), c32 = FloatVector.fromArray(S, acc, ao + 3 * accStride + 32), c33 = FloatVector.fromArray(S, acc, ao + 3 * accStride + 48), c34 = FloatVector.fromArray(S, acc, ao + 3 * accStride + 64), c35 = FloatVector.fromArray(S, acc, ao + 3 * accStride + 80);
        int t0 = taps[to + 0], t1 = taps[to + 1], t2 = taps[to + 2], t3 = taps[to + 3], t4 = taps[to + 4], t5 = taps[to + 5];
        for (int q = 0; q < n; q++) { // 4 dy vectors live, then one image vector at a time (fewer live registers than 6 image vectors first: +13%)
            int xo = chunks[q], dr = dyo + q * L;
            FloatVector d0 = FloatVector.fromArray(S, dy, dr), d1 = FloatVector.fromArray(S, dy, dr + p), d2 = FloatVector.fromArray(S, dy, dr + 2 * p), d3 = FloatVector.fromArray(S, dy, dr + 3 * p);
            FloatVector x;
            x = FloatVector.fromArray(S, img, t0 + xo);
            c00 = d0.fma(x, c00); c10 = d1.fma(x, c10); c20 = d2.fma(x, c20); c30 = d3.fma(x, c30);
            x = FloatVector.fromArray(S, img, t1 + xo);
            c01 = d0.fma(x, c01); c11 = d1.fma(x, c11); c21 = d2.fma(x, c21); c31 = d3.fma(x, c31);
            x = FloatVector.fromArray(S, img, t2 + xo);
            c02 = d0.fma(x, c02); c12 = d1.fma(x, c12); c22 = d2.fma(x, c22); c32 = d3.fma(x, c32);
            x = FloatVector.fromArray(S, img, t3 + xo);
            c03 = d0.fma(x, c03); c13 = d1.fma(x, c13); c23 = d2.fma(x, c23); c33 = d3.fma(x, c33);
            x = FloatVector.fromArray(S, img, t4 + xo);
            c04 = d0.fma(x, c04); c14 = d1.fma(x, c14); c24 = d2.fma(x, c24); c34 = d3.fma(x, c34);
            x = FloatVector.fromArray(S, img, t5 + xo);
            c05 = d0.fma(x, c05); c15 = d1.fma(x, c15); c25 = d2.fma(x, c25); c35 = d3.fma(x, c35);
        }
        c00.intoArray(acc, ao + 0 * accStride + 0);
        c01.intoArray(acc, ao + 0 * accStride + 16);
        c02.intoArray(acc, ao + 0 * accStride + 32);
        c03.intoArray(acc, ao + 0 * accStride + 48);
        c04.intoArray(acc, ao + 0 * accStride + 64);
        c05.intoArray(acc, ao + 0 * accStride + 80);
        c10.intoArray(acc, ao + 1 * accStride + 0);
        c11.intoArray(acc, ao + 1 * accStride + 16);
        c12.intoArray(acc, ao + 1 * accStride + 32);
        c13.intoArray(acc, ao + 1 * accStride + 48);
        c14.intoArray(acc, ao + 1 * accStride + 64);
        c15.intoArray(acc, ao + 1 * accStride + 80);
        c20.intoArray(acc, ao + 2 * accStride + 0);
        c21.intoArray(acc, ao + 2 * accStride + 16);
        c22.intoArray(acc, ao + 2 * accStride + 32);
        c23.intoArray(acc, ao + 2 * accStride + 48);
        c24.intoArray(acc, ao + 2 * accStride + 64);
        c25.intoArray(acc, ao + 2 * accStride + 80);
        c30.intoArray(acc, ao + 3 * accStride + 0);
        c31.intoArray(acc, ao + 3 * accStride + 16);
        c32.intoArray(acc, ao + 3 * accStride + 32);
        c33.intoArray(acc, ao + 3 * accStride + 48);
        c34.intoArray(acc, ao + 3 * accStride + 64);
        c35.intoArray(acc, ao + 3 * accStride + 80);
    }

    @Override void full(int kc, float[] ap, int ao, float[] img, int b0, int b1, int[] offs, int oo,
                        float[] c, int co, int ldc, float beta) {
        // beta is 0 or 1 here: the sums start from C or from zero, so the epilogue only stores (a vector add there
        // has been seen to run boxed, see benchmarks/README.md)
        boolean acc = beta != 0f;
        FloatVector c00 = acc ? FloatVector.fromArray(S, c, co + 0 * ldc) : FloatVector.zero(S), c01 = acc ? FloatVector.fromArray(S, c, co + 0 * ldc + L) : FloatVector.zero(S);
        FloatVector c10 = acc ? FloatVector.fromArray(S, c, co + 1 * ldc) : FloatVector.zero(S), c11 = acc ? FloatVector.fromArray(S, c, co + 1 * ldc + L) : FloatVector.zero(S);
        FloatVector c20 = acc ? FloatVector.fromArray(S, c, co + 2 * ldc) : FloatVector.zero(S), c21 = acc ? FloatVector.fromArray(S, c, co + 2 * ldc + L) : FloatVector.zero(S);
        FloatVector c30 = acc ? FloatVector.fromArray(S, c, co + 3 * ldc) : FloatVector.zero(S), c31 = acc ? FloatVector.fromArray(S, c, co + 3 * ldc + L) : FloatVector.zero(S);
        FloatVector c40 = acc ? FloatVector.fromArray(S, c, co + 4 * ldc) : FloatVector.zero(S), c41 = acc ? FloatVector.fromArray(S, c, co + 4 * ldc + L) : FloatVector.zero(S);
        FloatVector c50 = acc ? FloatVector.fromArray(S, c, co + 5 * ldc) : FloatVector.zero(S), c51 = acc ? FloatVector.fromArray(S, c, co + 5 * ldc + L) : FloatVector.zero(S);
        FloatVector c60 = acc ? FloatVector.fromArray(S, c, co + 6 * ldc) : FloatVector.zero(S), c61 = acc ? FloatVector.fromArray(S, c, co + 6 * ldc + L) : FloatVector.zero(S);
        FloatVector c70 = acc ? FloatVector.fromArray(S, c, co + 7 * ldc) : FloatVector.zero(S), c71 = acc ? FloatVector.fromArray(S, c, co + 7 * ldc + L) : FloatVector.zero(S);
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
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = v0.fma(a4, c40); c41 = v1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = v0.fma(a5, c50); c51 = v1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = v0.fma(a6, c60); c61 = v1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = v0.fma(a7, c70); c71 = v1.fma(a7, c71);
            ao += 8;
        }
        c00.intoArray(c, co + 0 * ldc); c01.intoArray(c, co + 0 * ldc + L);
        c10.intoArray(c, co + 1 * ldc); c11.intoArray(c, co + 1 * ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    @Override void filterTile(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                              float[] c, int co, int ldc) {
        // accumulates into C (the caller zeroes it first), so the epilogue only stores (see benchmarks/README.md)
        FloatVector c00 = FloatVector.fromArray(S, c, co + 0 * ldc), c01 = FloatVector.fromArray(S, c, co + 0 * ldc + L);
        FloatVector c10 = FloatVector.fromArray(S, c, co + 1 * ldc), c11 = FloatVector.fromArray(S, c, co + 1 * ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, co + 2 * ldc), c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, co + 3 * ldc), c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, co + 4 * ldc), c41 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
        FloatVector c50 = FloatVector.fromArray(S, c, co + 5 * ldc), c51 = FloatVector.fromArray(S, c, co + 5 * ldc + L);
        FloatVector c60 = FloatVector.fromArray(S, c, co + 6 * ldc), c61 = FloatVector.fromArray(S, c, co + 6 * ldc + L);
        FloatVector c70 = FloatVector.fromArray(S, c, co + 7 * ldc), c71 = FloatVector.fromArray(S, c, co + 7 * ldc + L);
        int t0 = taps[to + 0], t1 = taps[to + 1], t2 = taps[to + 2], t3 = taps[to + 3], t4 = taps[to + 4], t5 = taps[to + 5], t6 = taps[to + 6], t7 = taps[to + 7];
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
            FloatVector a4 = FloatVector.broadcast(S, img[t4 + o]);
            c40 = v0.fma(a4, c40); c41 = v1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, img[t5 + o]);
            c50 = v0.fma(a5, c50); c51 = v1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, img[t6 + o]);
            c60 = v0.fma(a6, c60); c61 = v1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, img[t7 + o]);
            c70 = v0.fma(a7, c70); c71 = v1.fma(a7, c71);
        }
        c00.intoArray(c, co + 0 * ldc); c01.intoArray(c, co + 0 * ldc + L);
        c10.intoArray(c, co + 1 * ldc); c11.intoArray(c, co + 1 * ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
    }

    @Override void filterTile64(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                                float[] c, int co, int ldc) {
        // accumulates into C (the caller zeroes it first), so the epilogue only stores
        FloatVector c00 = FloatVector.fromArray(S, c, co + 0 * ldc), c01 = FloatVector.fromArray(S, c, co + 0 * ldc + L), c02 = FloatVector.fromArray(S, c, co + 0 * ldc + 2 * L), c03 = FloatVector.fromArray(S, c, co + 0 * ldc + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, co + 1 * ldc), c11 = FloatVector.fromArray(S, c, co + 1 * ldc + L), c12 = FloatVector.fromArray(S, c, co + 1 * ldc + 2 * L), c13 = FloatVector.fromArray(S, c, co + 1 * ldc + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, co + 2 * ldc), c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L), c22 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L), c23 = FloatVector.fromArray(S, c, co + 2 * ldc + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, co + 3 * ldc), c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L), c32 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L), c33 = FloatVector.fromArray(S, c, co + 3 * ldc + 3 * L);
        int t0 = taps[to + 0], t1 = taps[to + 1], t2 = taps[to + 2], t3 = taps[to + 3];
        for (int q = 0; q < np; q++) {
            int o = pix[po + q], b = bo + q * ldb;
            FloatVector v0 = FloatVector.fromArray(S, dyT, b), v1 = FloatVector.fromArray(S, dyT, b + L), v2 = FloatVector.fromArray(S, dyT, b + 2 * L), v3 = FloatVector.fromArray(S, dyT, b + 3 * L);
            FloatVector a = FloatVector.broadcast(S, img[t0 + o]);
            c00 = v0.fma(a, c00); c01 = v1.fma(a, c01); c02 = v2.fma(a, c02); c03 = v3.fma(a, c03);
            a = FloatVector.broadcast(S, img[t1 + o]);
            c10 = v0.fma(a, c10); c11 = v1.fma(a, c11); c12 = v2.fma(a, c12); c13 = v3.fma(a, c13);
            a = FloatVector.broadcast(S, img[t2 + o]);
            c20 = v0.fma(a, c20); c21 = v1.fma(a, c21); c22 = v2.fma(a, c22); c23 = v3.fma(a, c23);
            a = FloatVector.broadcast(S, img[t3 + o]);
            c30 = v0.fma(a, c30); c31 = v1.fma(a, c31); c32 = v2.fma(a, c32); c33 = v3.fma(a, c33);
        }
        c00.intoArray(c, co + 0 * ldc); c01.intoArray(c, co + 0 * ldc + L); c02.intoArray(c, co + 0 * ldc + 2 * L); c03.intoArray(c, co + 0 * ldc + 3 * L);
        c10.intoArray(c, co + 1 * ldc); c11.intoArray(c, co + 1 * ldc + L); c12.intoArray(c, co + 1 * ldc + 2 * L); c13.intoArray(c, co + 1 * ldc + 3 * L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L); c22.intoArray(c, co + 2 * ldc + 2 * L); c23.intoArray(c, co + 2 * ldc + 3 * L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L); c32.intoArray(c, co + 3 * ldc + 2 * L); c33.intoArray(c, co + 3 * ldc + 3 * L);
    }

    @Override void filterTile16(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                                float[] c, int co, int ldc) {
        // accumulates into C (the caller zeroes it first), so the epilogue only stores
        FloatVector c0 = FloatVector.fromArray(S, c, co + 0 * ldc);
        FloatVector c1 = FloatVector.fromArray(S, c, co + 1 * ldc);
        FloatVector c2 = FloatVector.fromArray(S, c, co + 2 * ldc);
        FloatVector c3 = FloatVector.fromArray(S, c, co + 3 * ldc);
        FloatVector c4 = FloatVector.fromArray(S, c, co + 4 * ldc);
        FloatVector c5 = FloatVector.fromArray(S, c, co + 5 * ldc);
        FloatVector c6 = FloatVector.fromArray(S, c, co + 6 * ldc);
        FloatVector c7 = FloatVector.fromArray(S, c, co + 7 * ldc);
        int t0 = taps[to + 0], t1 = taps[to + 1], t2 = taps[to + 2], t3 = taps[to + 3], t4 = taps[to + 4], t5 = taps[to + 5], t6 = taps[to + 6], t7 = taps[to + 7];
        for (int q = 0; q < np; q++) {
            int o = pix[po + q];
            FloatVector v = FloatVector.fromArray(S, dyT, bo + q * ldb);
            c0 = v.fma(FloatVector.broadcast(S, img[t0 + o]), c0);
            c1 = v.fma(FloatVector.broadcast(S, img[t1 + o]), c1);
            c2 = v.fma(FloatVector.broadcast(S, img[t2 + o]), c2);
            c3 = v.fma(FloatVector.broadcast(S, img[t3 + o]), c3);
            c4 = v.fma(FloatVector.broadcast(S, img[t4 + o]), c4);
            c5 = v.fma(FloatVector.broadcast(S, img[t5 + o]), c5);
            c6 = v.fma(FloatVector.broadcast(S, img[t6 + o]), c6);
            c7 = v.fma(FloatVector.broadcast(S, img[t7 + o]), c7);
        }
        c0.intoArray(c, co + 0 * ldc);
        c1.intoArray(c, co + 1 * ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
        c4.intoArray(c, co + 4 * ldc);
        c5.intoArray(c, co + 5 * ldc);
        c6.intoArray(c, co + 6 * ldc);
        c7.intoArray(c, co + 7 * ldc);
    }
}
