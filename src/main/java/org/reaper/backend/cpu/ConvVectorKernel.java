package org.reaper.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8 x 32 direct-convolution tile and the backward-filter tiles on 16-lane (AVX-512) vectors; created by
 * {@link GemmVectorKernel#convKernel}. The tiles share their shape but are written out one by one, every vector in a
 * local: a helper taking or returning vectors boxes them whenever C2 does not inline it (see {@link GemmVectorKernel}).
 */
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

    @Override void filterTile16(int np, float[] img, int[] taps, int to, int q0, float[] dyT, int bo, int ldb,
                              float[] c, int co, int ldc) {
        // 8 taps x 16 channels: 1 dy vector and 8 broadcasts per 8 FMAs; accumulates into C (the caller zeroes it first), so the epilogue only stores
        FloatVector c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc + 0 * L);
        FloatVector c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc + 0 * L);
        FloatVector c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc + 0 * L);
        FloatVector c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc + 0 * L);
        FloatVector c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc + 0 * L);
        FloatVector c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc + 0 * L);
        FloatVector c6_0 = FloatVector.fromArray(S, c, co + 6 * ldc + 0 * L);
        FloatVector c7_0 = FloatVector.fromArray(S, c, co + 7 * ldc + 0 * L);
        int t0 = taps[to + 0] + q0, t1 = taps[to + 1] + q0, t2 = taps[to + 2] + q0, t3 = taps[to + 3] + q0, t4 = taps[to + 4] + q0, t5 = taps[to + 5] + q0, t6 = taps[to + 6] + q0, t7 = taps[to + 7] + q0;
        for (int q = 0; q < np; q++) {
            int b = bo + q * ldb;
            FloatVector v0 = FloatVector.fromArray(S, dyT, b + 0 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, img[t0 + q]);
            c0_0 = v0.fma(a, c0_0);
            a = FloatVector.broadcast(S, img[t1 + q]);
            c1_0 = v0.fma(a, c1_0);
            a = FloatVector.broadcast(S, img[t2 + q]);
            c2_0 = v0.fma(a, c2_0);
            a = FloatVector.broadcast(S, img[t3 + q]);
            c3_0 = v0.fma(a, c3_0);
            a = FloatVector.broadcast(S, img[t4 + q]);
            c4_0 = v0.fma(a, c4_0);
            a = FloatVector.broadcast(S, img[t5 + q]);
            c5_0 = v0.fma(a, c5_0);
            a = FloatVector.broadcast(S, img[t6 + q]);
            c6_0 = v0.fma(a, c6_0);
            a = FloatVector.broadcast(S, img[t7 + q]);
            c7_0 = v0.fma(a, c7_0);
        }
        c0_0.intoArray(c, co + 0 * ldc + 0 * L);
        c1_0.intoArray(c, co + 1 * ldc + 0 * L);
        c2_0.intoArray(c, co + 2 * ldc + 0 * L);
        c3_0.intoArray(c, co + 3 * ldc + 0 * L);
        c4_0.intoArray(c, co + 4 * ldc + 0 * L);
        c5_0.intoArray(c, co + 5 * ldc + 0 * L);
        c6_0.intoArray(c, co + 6 * ldc + 0 * L);
        c7_0.intoArray(c, co + 7 * ldc + 0 * L);
    }

    @Override void filterTile32(int np, float[] img, int[] taps, int to, int q0, float[] dyT, int bo, int ldb,
                              float[] c, int co, int ldc) {
        // 12 taps x 32 channels: 2 dy vectors and 12 broadcasts per 24 FMAs; accumulates into C (the caller zeroes it first), so the epilogue only stores
        FloatVector c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc + 0 * L), c0_1 = FloatVector.fromArray(S, c, co + 0 * ldc + 1 * L);
        FloatVector c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc + 0 * L), c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + 1 * L);
        FloatVector c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc + 0 * L), c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + 1 * L);
        FloatVector c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc + 0 * L), c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + 1 * L);
        FloatVector c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc + 0 * L), c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + 1 * L);
        FloatVector c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc + 0 * L), c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + 1 * L);
        FloatVector c6_0 = FloatVector.fromArray(S, c, co + 6 * ldc + 0 * L), c6_1 = FloatVector.fromArray(S, c, co + 6 * ldc + 1 * L);
        FloatVector c7_0 = FloatVector.fromArray(S, c, co + 7 * ldc + 0 * L), c7_1 = FloatVector.fromArray(S, c, co + 7 * ldc + 1 * L);
        FloatVector c8_0 = FloatVector.fromArray(S, c, co + 8 * ldc + 0 * L), c8_1 = FloatVector.fromArray(S, c, co + 8 * ldc + 1 * L);
        FloatVector c9_0 = FloatVector.fromArray(S, c, co + 9 * ldc + 0 * L), c9_1 = FloatVector.fromArray(S, c, co + 9 * ldc + 1 * L);
        FloatVector c10_0 = FloatVector.fromArray(S, c, co + 10 * ldc + 0 * L), c10_1 = FloatVector.fromArray(S, c, co + 10 * ldc + 1 * L);
        FloatVector c11_0 = FloatVector.fromArray(S, c, co + 11 * ldc + 0 * L), c11_1 = FloatVector.fromArray(S, c, co + 11 * ldc + 1 * L);
        int t0 = taps[to + 0] + q0, t1 = taps[to + 1] + q0, t2 = taps[to + 2] + q0, t3 = taps[to + 3] + q0, t4 = taps[to + 4] + q0, t5 = taps[to + 5] + q0, t6 = taps[to + 6] + q0, t7 = taps[to + 7] + q0, t8 = taps[to + 8] + q0, t9 = taps[to + 9] + q0, t10 = taps[to + 10] + q0, t11 = taps[to + 11] + q0;
        for (int q = 0; q < np; q++) {
            int b = bo + q * ldb;
            FloatVector v0 = FloatVector.fromArray(S, dyT, b + 0 * L), v1 = FloatVector.fromArray(S, dyT, b + 1 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, img[t0 + q]);
            c0_0 = v0.fma(a, c0_0); c0_1 = v1.fma(a, c0_1);
            a = FloatVector.broadcast(S, img[t1 + q]);
            c1_0 = v0.fma(a, c1_0); c1_1 = v1.fma(a, c1_1);
            a = FloatVector.broadcast(S, img[t2 + q]);
            c2_0 = v0.fma(a, c2_0); c2_1 = v1.fma(a, c2_1);
            a = FloatVector.broadcast(S, img[t3 + q]);
            c3_0 = v0.fma(a, c3_0); c3_1 = v1.fma(a, c3_1);
            a = FloatVector.broadcast(S, img[t4 + q]);
            c4_0 = v0.fma(a, c4_0); c4_1 = v1.fma(a, c4_1);
            a = FloatVector.broadcast(S, img[t5 + q]);
            c5_0 = v0.fma(a, c5_0); c5_1 = v1.fma(a, c5_1);
            a = FloatVector.broadcast(S, img[t6 + q]);
            c6_0 = v0.fma(a, c6_0); c6_1 = v1.fma(a, c6_1);
            a = FloatVector.broadcast(S, img[t7 + q]);
            c7_0 = v0.fma(a, c7_0); c7_1 = v1.fma(a, c7_1);
            a = FloatVector.broadcast(S, img[t8 + q]);
            c8_0 = v0.fma(a, c8_0); c8_1 = v1.fma(a, c8_1);
            a = FloatVector.broadcast(S, img[t9 + q]);
            c9_0 = v0.fma(a, c9_0); c9_1 = v1.fma(a, c9_1);
            a = FloatVector.broadcast(S, img[t10 + q]);
            c10_0 = v0.fma(a, c10_0); c10_1 = v1.fma(a, c10_1);
            a = FloatVector.broadcast(S, img[t11 + q]);
            c11_0 = v0.fma(a, c11_0); c11_1 = v1.fma(a, c11_1);
        }
        c0_0.intoArray(c, co + 0 * ldc + 0 * L); c0_1.intoArray(c, co + 0 * ldc + 1 * L);
        c1_0.intoArray(c, co + 1 * ldc + 0 * L); c1_1.intoArray(c, co + 1 * ldc + 1 * L);
        c2_0.intoArray(c, co + 2 * ldc + 0 * L); c2_1.intoArray(c, co + 2 * ldc + 1 * L);
        c3_0.intoArray(c, co + 3 * ldc + 0 * L); c3_1.intoArray(c, co + 3 * ldc + 1 * L);
        c4_0.intoArray(c, co + 4 * ldc + 0 * L); c4_1.intoArray(c, co + 4 * ldc + 1 * L);
        c5_0.intoArray(c, co + 5 * ldc + 0 * L); c5_1.intoArray(c, co + 5 * ldc + 1 * L);
        c6_0.intoArray(c, co + 6 * ldc + 0 * L); c6_1.intoArray(c, co + 6 * ldc + 1 * L);
        c7_0.intoArray(c, co + 7 * ldc + 0 * L); c7_1.intoArray(c, co + 7 * ldc + 1 * L);
        c8_0.intoArray(c, co + 8 * ldc + 0 * L); c8_1.intoArray(c, co + 8 * ldc + 1 * L);
        c9_0.intoArray(c, co + 9 * ldc + 0 * L); c9_1.intoArray(c, co + 9 * ldc + 1 * L);
        c10_0.intoArray(c, co + 10 * ldc + 0 * L); c10_1.intoArray(c, co + 10 * ldc + 1 * L);
        c11_0.intoArray(c, co + 11 * ldc + 0 * L); c11_1.intoArray(c, co + 11 * ldc + 1 * L);
    }

    @Override void filterTile64(int np, float[] img, int[] taps, int to, int q0, float[] dyT, int bo, int ldb,
                              float[] c, int co, int ldc) {
        // 6 taps x 64 channels: 4 dy vectors and 6 broadcasts per 24 FMAs; accumulates into C (the caller zeroes it first), so the epilogue only stores
        FloatVector c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc + 0 * L), c0_1 = FloatVector.fromArray(S, c, co + 0 * ldc + 1 * L), c0_2 = FloatVector.fromArray(S, c, co + 0 * ldc + 2 * L), c0_3 = FloatVector.fromArray(S, c, co + 0 * ldc + 3 * L);
        FloatVector c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc + 0 * L), c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + 1 * L), c1_2 = FloatVector.fromArray(S, c, co + 1 * ldc + 2 * L), c1_3 = FloatVector.fromArray(S, c, co + 1 * ldc + 3 * L);
        FloatVector c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc + 0 * L), c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + 1 * L), c2_2 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L), c2_3 = FloatVector.fromArray(S, c, co + 2 * ldc + 3 * L);
        FloatVector c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc + 0 * L), c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + 1 * L), c3_2 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L), c3_3 = FloatVector.fromArray(S, c, co + 3 * ldc + 3 * L);
        FloatVector c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc + 0 * L), c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + 1 * L), c4_2 = FloatVector.fromArray(S, c, co + 4 * ldc + 2 * L), c4_3 = FloatVector.fromArray(S, c, co + 4 * ldc + 3 * L);
        FloatVector c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc + 0 * L), c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + 1 * L), c5_2 = FloatVector.fromArray(S, c, co + 5 * ldc + 2 * L), c5_3 = FloatVector.fromArray(S, c, co + 5 * ldc + 3 * L);
        int t0 = taps[to + 0] + q0, t1 = taps[to + 1] + q0, t2 = taps[to + 2] + q0, t3 = taps[to + 3] + q0, t4 = taps[to + 4] + q0, t5 = taps[to + 5] + q0;
        for (int q = 0; q < np; q++) {
            int b = bo + q * ldb;
            FloatVector v0 = FloatVector.fromArray(S, dyT, b + 0 * L), v1 = FloatVector.fromArray(S, dyT, b + 1 * L), v2 = FloatVector.fromArray(S, dyT, b + 2 * L), v3 = FloatVector.fromArray(S, dyT, b + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, img[t0 + q]);
            c0_0 = v0.fma(a, c0_0); c0_1 = v1.fma(a, c0_1); c0_2 = v2.fma(a, c0_2); c0_3 = v3.fma(a, c0_3);
            a = FloatVector.broadcast(S, img[t1 + q]);
            c1_0 = v0.fma(a, c1_0); c1_1 = v1.fma(a, c1_1); c1_2 = v2.fma(a, c1_2); c1_3 = v3.fma(a, c1_3);
            a = FloatVector.broadcast(S, img[t2 + q]);
            c2_0 = v0.fma(a, c2_0); c2_1 = v1.fma(a, c2_1); c2_2 = v2.fma(a, c2_2); c2_3 = v3.fma(a, c2_3);
            a = FloatVector.broadcast(S, img[t3 + q]);
            c3_0 = v0.fma(a, c3_0); c3_1 = v1.fma(a, c3_1); c3_2 = v2.fma(a, c3_2); c3_3 = v3.fma(a, c3_3);
            a = FloatVector.broadcast(S, img[t4 + q]);
            c4_0 = v0.fma(a, c4_0); c4_1 = v1.fma(a, c4_1); c4_2 = v2.fma(a, c4_2); c4_3 = v3.fma(a, c4_3);
            a = FloatVector.broadcast(S, img[t5 + q]);
            c5_0 = v0.fma(a, c5_0); c5_1 = v1.fma(a, c5_1); c5_2 = v2.fma(a, c5_2); c5_3 = v3.fma(a, c5_3);
        }
        c0_0.intoArray(c, co + 0 * ldc + 0 * L); c0_1.intoArray(c, co + 0 * ldc + 1 * L); c0_2.intoArray(c, co + 0 * ldc + 2 * L); c0_3.intoArray(c, co + 0 * ldc + 3 * L);
        c1_0.intoArray(c, co + 1 * ldc + 0 * L); c1_1.intoArray(c, co + 1 * ldc + 1 * L); c1_2.intoArray(c, co + 1 * ldc + 2 * L); c1_3.intoArray(c, co + 1 * ldc + 3 * L);
        c2_0.intoArray(c, co + 2 * ldc + 0 * L); c2_1.intoArray(c, co + 2 * ldc + 1 * L); c2_2.intoArray(c, co + 2 * ldc + 2 * L); c2_3.intoArray(c, co + 2 * ldc + 3 * L);
        c3_0.intoArray(c, co + 3 * ldc + 0 * L); c3_1.intoArray(c, co + 3 * ldc + 1 * L); c3_2.intoArray(c, co + 3 * ldc + 2 * L); c3_3.intoArray(c, co + 3 * ldc + 3 * L);
        c4_0.intoArray(c, co + 4 * ldc + 0 * L); c4_1.intoArray(c, co + 4 * ldc + 1 * L); c4_2.intoArray(c, co + 4 * ldc + 2 * L); c4_3.intoArray(c, co + 4 * ldc + 3 * L);
        c5_0.intoArray(c, co + 5 * ldc + 0 * L); c5_1.intoArray(c, co + 5 * ldc + 1 * L); c5_2.intoArray(c, co + 5 * ldc + 2 * L); c5_3.intoArray(c, co + 5 * ldc + 3 * L);
    }
}
