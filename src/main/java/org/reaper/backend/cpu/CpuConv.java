package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * conv2d (NCHW activations, OIHW weights) as one GEMM per image over an im2col matrix
 * col[K = Cin*kh*kw][P = outH*outW]:
 * forward y[n] = W[Cout x K] * col; backward-data dcol = W^T * dy[n], then col2im;
 * backward-filter dW^T += col * dy[n]^T (partial sums per fixed group of images, reduced in order and transposed at the end).
 * Images are spread over the workers (each with its own pooled col scratch and serial GEMMs);
 * with fewer images than workers the GEMMs themselves run in parallel. 1x1 stride-1 unpadded
 * convolutions use the image itself as col. With the Vector API every other forward, backward-data
 * (stride 1: flipped weights; strided: per output phase in {@link ConvPhaseBackwardData}) and
 * every backward-filter skip im2col via {@link CpuConvDirect}.
 */
final class CpuConv {
    private CpuConv() {}

    /** Work on image n with this worker's col scratch; gemmPar is null for serial GEMMs. */
    @FunctionalInterface private interface ImageBody { void run(int n, float[] col, CpuParallel gemmPar); }

    /** Work on image n with this worker's padded-image and tile scratch (direct convolution). */
    @FunctionalInterface private interface DirectBody { void run(int n, float[] padded, float[] tile, float[] wide); }

    /** Work on images [start, end); gemmPar is null for serial GEMMs. */
    @FunctionalInterface private interface ImageRangeBody { void run(int start, int end, CpuParallel gemmPar); }

    static void forward(CpuParallel par, CpuMemoryPool pool, Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) {
        KernelChecks.conv2dForward(x, w, bias, y, g);
        float[] xs = CpuStorage.data(x), ws = CpuStorage.data(w), ys = CpuStorage.data(y);
        float[] bs = bias == null ? null : CpuStorage.data(bias);
        int k = g.patchSize(), p = g.outH() * g.outW(), cout = g.outChannels();
        int inSize = g.inChannels() * g.inH() * g.inW(), outSize = cout * p;
        boolean direct = isPointwise(g);
        if (!direct && CpuConvDirect.available() && !isStridedPointwise(g)) {
            CpuConvDirect.Plan plan = CpuConvDirect.plan(pool, ws, cout, g.inChannels(), g.kernelH(), g.kernelW(),
                    g.inH(), g.inW(), g.padH(), g.padW(), g.strideH(), g.strideW());
            try {
                forEachImageDirect(par, pool, g.batch(), plan, (n, padded, tile, wide) -> {
                    int yo = n * outSize;
                    if (bs != null) for (int c = 0; c < cout; c++) java.util.Arrays.fill(ys, yo + c * p, yo + (c + 1) * p, bs[c]);
                    CpuConvDirect.image(plan, xs, n * inSize, padded, tile, wide, ys, yo, bs == null ? 0f : 1f);
                });
            } finally {
                CpuConvDirect.release(pool, plan);
            }
            return;
        }
        forEachImage(par, pool, g.batch(), direct ? 0 : k * p, (n, col, gp) -> {
            int yo = n * outSize;
            if (bs != null) for (int c = 0; c < cout; c++) java.util.Arrays.fill(ys, yo + c * p, yo + (c + 1) * p, bs[c]);
            float beta = bs == null ? 0f : 1f;
            if (direct) {
                gemm(gp, false, false, cout, p, k, ws, 0, k, xs, n * inSize, p, beta, ys, yo, p);
            } else {
                im2col(xs, n * inSize, g, col);
                gemm(gp, false, false, cout, p, k, ws, 0, k, col, 0, p, beta, ys, yo, p);
            }
        });
    }

    static void backwardData(CpuParallel par, CpuMemoryPool pool, Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        KernelChecks.conv2dBackwardData(dy, w, dx, g);
        float[] dys = CpuStorage.data(dy), ws = CpuStorage.data(w), dxs = CpuStorage.data(dx);
        int k = g.patchSize(), p = g.outH() * g.outW(), cout = g.outChannels();
        int inSize = g.inChannels() * g.inH() * g.inW(), outSize = cout * p;
        boolean direct = isPointwise(g);
        int kh = g.kernelH(), kw = g.kernelW(), cin = g.inChannels();
        if (!direct && g.strideH() == 1 && g.strideW() == 1 && g.padH() < kh && g.padW() < kw && CpuConvDirect.available()) {
            // dx = stride-1 conv of dy padded by k-1-pad with the flipped, in/out-swapped weights
            float[] flipped = pool.take(ws.length);
            CpuConvDirect.Plan plan;
            try {
                for (int c = 0; c < cin; c++)
                    for (int o = 0; o < cout; o++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                                flipped[((c * cout + o) * kh + i) * kw + j] = ws[((o * cin + c) * kh + (kh - 1 - i)) * kw + (kw - 1 - j)];
                plan = CpuConvDirect.plan(pool, flipped, cin, cout, kh, kw, g.outH(), g.outW(), kh - 1 - g.padH(), kw - 1 - g.padW());
            } finally {
                pool.give(flipped);
            }
            try {
                forEachImageDirect(par, pool, g.batch(), plan,
                        (n, padded, tile, wide) -> CpuConvDirect.image(plan, dys, n * outSize, padded, tile, wide, dxs, n * inSize, 0f));
            } finally {
                CpuConvDirect.release(pool, plan);
            }
            return;
        }
        if (!direct && CpuConvDirect.available() && !isStridedPointwise(g)) {
            ConvPhaseBackwardData.run(par, pool, dys, ws, dxs, g);
            return;
        }
        forEachImage(par, pool, g.batch(), direct ? 0 : k * p, (n, col, gp) -> {
            if (direct) {
                gemm(gp, true, false, k, p, cout, ws, 0, k, dys, n * outSize, p, 0f, dxs, n * inSize, p);
            } else {
                gemm(gp, true, false, k, p, cout, ws, 0, k, dys, n * outSize, p, 0f, col, 0, p);
                col2im(col, g, dxs, n * inSize);
            }
        });
    }

    static void backwardFilter(CpuParallel par, CpuMemoryPool pool, Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) {
        KernelChecks.conv2dBackwardFilter(x, dy, dw, db, g);
        float[] xs = CpuStorage.data(x), dys = CpuStorage.data(dy), dws = CpuStorage.data(dw);
        int k = g.patchSize(), p = g.outH() * g.outW(), cout = g.outChannels(), batch = g.batch();
        int inSize = g.inChannels() * g.inH() * g.inW(), outSize = cout * p, wSize = cout * k;
        if (ConvFilterPixels.applies(g)) {
            ConvFilterPixels.run(par, pool, xs, dys, dws, g);
            if (db != null) channelSums(par, dys, batch, cout, p, CpuStorage.data(db));
            return;
        }
        if (CpuConvDirect.KERNEL != null) {
            backwardFilterDirect(par, pool, xs, dys, dws, g);
            if (db != null) channelSums(par, dys, batch, cout, p, CpuStorage.data(db));
            return;
        }
        boolean direct = isPointwise(g);
        int colSize = direct ? 0 : k * p;
        // dW^T = col * dy^T keeps the big col matrix as the cheaply packed A operand; it needs
        // cout to fill the micro-kernel's columns, else dW = dy * col^T is used directly.
        boolean transposed = cout >= CpuGemm.nr();
        // fixed groups of images (not one per thread) keep the summation order independent of the threads
        int groups = Math.min(FILTER_GROUPS, batch);
        float[][] partials = new float[groups][];
        ImageRangeBody body = (gs, ge, gp) -> {
            float[] col = colSize > 0 ? pool.take(colSize) : null;
            try {
                for (int gi = gs; gi < ge; gi++) {
                    int s = (int) ((long) gi * batch / groups), e = (int) ((long) (gi + 1) * batch / groups);
                    float[] part = pool.take(wSize);
                    for (int n = s; n < e; n++) {
                        float beta = n == s ? 0f : 1f;
                        int xo = n * inSize, dyo = n * outSize;
                        float[] src = xs;
                        if (!direct) { im2col(xs, xo, g, col); src = col; xo = 0; }
                        if (transposed) gemm(gp, false, true, k, cout, p, src, xo, p, dys, dyo, p, beta, part, 0, cout);
                        else gemm(gp, false, true, cout, k, p, dys, dyo, p, src, xo, p, beta, part, 0, k);
                    }
                    partials[gi] = part;
                }
            } finally {
                if (col != null) pool.give(col);
            }
        };
        if (groups == 1) body.run(0, 1, par);
        else par.forRange(groups, 1, (s, e) -> body.run(s, e, null));
        int used = groups;
        par.forRange(cout, 1, (s, e) -> {
            for (int o = s; o < e; o++) {
                for (int q = 0; q < k; q++) {
                    int from = transposed ? q * cout + o : o * k + q;
                    float sum = 0f;
                    for (int t = 0; t < used; t++) sum += partials[t][from];
                    dws[o * k + q] = sum;
                }
            }
        });
        for (int t = 0; t < used; t++) pool.give(partials[t]);
        if (db != null) channelSums(par, dys, batch, cout, p, CpuStorage.data(db));
    }

    /** Each thread's row of cout sums in the backward-filter fold (one per thread, not one per piece of work). */
    private static final ThreadLocal<float[]> FOLD_SUMS = ThreadLocal.withInitial(() -> new float[0]);

    /** Backward-filter cuts the batch into at most this many groups of images, whatever the thread count. */
    private static final int FILTER_GROUPS = 16;

    /**
     * Backward-filter without im2col: a partial dW^T per fixed group of images from
     * {@link CpuConvDirect#filterImage}, summed in group order, so the result does not depend on the threads.
     */
    private static void backwardFilterDirect(CpuParallel par, CpuMemoryPool pool, float[] xs, float[] dys, float[] dws, ConvGeometry g) {
        CpuConvDirect.FilterPlan fp = CpuConvDirect.filterPlan(g);
        int batch = g.batch(), cout = g.outChannels(), k = g.patchSize(), p = fp.pixels();
        int inSize = g.inChannels() * g.inH() * g.inW(), outSize = cout * p, ld = fp.outChPadded();
        int groups = Math.min(FILTER_GROUPS, batch);
        float[][] partials = new float[groups][];
        par.forRange(groups, 1, (s, e) -> {
            float[] padded = pool.take(fp.paddedSize()), dyT = pool.take(p * ld);
            java.util.Arrays.fill(padded, 0f);
            try {
                for (int gi = s; gi < e; gi++) {
                    int n0 = (int) ((long) gi * batch / groups), n1 = (int) ((long) (gi + 1) * batch / groups);
                    float[] part = pool.take(fp.partialSize());
                    for (int n = n0; n < n1; n++) CpuConvDirect.filterImage(fp, xs, n * inSize, dys, n * outSize, padded, dyT, part, n == n0);
                    partials[gi] = part;
                }
            } finally {
                pool.give(padded);
                pool.give(dyT);
            }
        });
        // fold tap by tap: each group's row of cout sums is contiguous (a channel-major walk touched one float per
        // cache line of every partial); the groups are still added in order, so the sums are the same
        par.forRange(k, 16, (s, e) -> {
            float[] sums = FOLD_SUMS.get();
            if (sums.length < cout) FOLD_SUMS.set(sums = new float[cout]);
            for (int q = s; q < e; q++) {
                java.util.Arrays.fill(sums, 0, cout, 0f);
                for (int t = 0; t < groups; t++) {
                    float[] part = partials[t];
                    for (int o = 0, from = q * ld; o < cout; o++) sums[o] += part[from + o];
                }
                for (int o = 0; o < cout; o++) dws[o * k + q] = sums[o];
            }
        });
        for (int t = 0; t < groups; t++) pool.give(partials[t]);
    }

    /** out[c] = sum over images and pixels of g[n][c][.], accumulated in double. */
    static void channelSums(CpuParallel par, float[] gs, int batch, int channels, int p, float[] out) {
        par.forRange(channels, 4, (s, e) -> {
            for (int c = s; c < e; c++) {
                double acc = 0;
                for (int n = 0; n < batch; n++) {
                    int o = (n * channels + c) * p;
                    float part = 0f;
                    for (int i = 0; i < p; i++) part += gs[o + i];
                    acc += part;
                }
                out[c] = (float) acc;
            }
        });
    }

    private static boolean isPointwise(ConvGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /** 1x1 unpadded with a stride: im2col is just a strided gather and the GEMM path beats the direct one. */
    private static boolean isStridedPointwise(ConvGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    private static void forEachImage(CpuParallel par, CpuMemoryPool pool, int batch, int colSize, ImageBody body) {
        if (batch < par.threads()) {
            float[] col = colSize > 0 ? pool.take(colSize) : null;
            try {
                for (int n = 0; n < batch; n++) body.run(n, col, par);
            } finally {
                if (col != null) pool.give(col);
            }
            return;
        }
        par.forRange(batch, 1, (s, e) -> {
            float[] col = colSize > 0 ? pool.take(colSize) : null;
            try {
                for (int n = s; n < e; n++) body.run(n, col, null);
            } finally {
                if (col != null) pool.give(col);
            }
        });
    }

    private static void forEachImageDirect(CpuParallel par, CpuMemoryPool pool, int batch, CpuConvDirect.Plan plan, DirectBody body) {
        par.forRange(batch, 1, (s, e) -> {
            float[] padded = pool.take(plan.paddedSize());
            java.util.Arrays.fill(padded, 0f);
            float[] wide = plan.wide() ? pool.take(plan.wideSize()) : null;
            float[] tile = CpuConvDirect.tile();
            try {
                for (int n = s; n < e; n++) body.run(n, padded, tile, wide);
            } finally {
                pool.give(padded);
                if (wide != null) pool.give(wide);
            }
        });
    }

    private static void gemm(CpuParallel gp, boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (gp == null) CpuGemm.gemmSerial(ta, tb, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else CpuGemm.gemm(gp, ta, tb, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** col[(c*kh + i)*kw + j][oh*OW + ow] = x[c][oh*sh - ph + i][ow*sw - pw + j], zero outside the image. */
    static void im2col(float[] x, int xo, ConvGeometry g, float[] col) {
        int h = g.inH(), w = g.inW(), kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        int ph = g.padH(), pw = g.padW(), oh = g.outH(), ow = g.outW(), p = oh * ow;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((c * kh + i) * kw + j) * p;
                    int lo = validStart(pw - j, sw), hi = validEnd(w - 1 + pw - j, sw, ow);
                    for (int r = 0; r < oh; r++) {
                        int ih = r * sh - ph + i, dst = row + r * ow;
                        if (ih < 0 || ih >= h || lo >= hi) { java.util.Arrays.fill(col, dst, dst + ow, 0f); continue; }
                        int src = xo + (c * h + ih) * w - pw + j;
                        if (lo > 0) java.util.Arrays.fill(col, dst, dst + lo, 0f);
                        if (sw == 1) System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        else for (int q = lo; q < hi; q++) col[dst + q] = x[src + q * sw];
                        if (hi < ow) java.util.Arrays.fill(col, dst + hi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /** dx[image at dxo] = sum of the col entries that im2col would have copied from each pixel. */
    static void col2im(float[] col, ConvGeometry g, float[] dx, int dxo) {
        int h = g.inH(), w = g.inW(), kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        int ph = g.padH(), pw = g.padW(), oh = g.outH(), ow = g.outW(), p = oh * ow;
        java.util.Arrays.fill(dx, dxo, dxo + g.inChannels() * h * w, 0f);
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((c * kh + i) * kw + j) * p;
                    int lo = validStart(pw - j, sw), hi = validEnd(w - 1 + pw - j, sw, ow);
                    if (lo >= hi) continue;
                    for (int r = 0; r < oh; r++) {
                        int ih = r * sh - ph + i;
                        if (ih < 0 || ih >= h) continue;
                        int src = row + r * ow, dst = dxo + (c * h + ih) * w - pw + j;
                        if (sw == 1) for (int q = lo; q < hi; q++) dx[dst + q] += col[src + q];
                        else for (int q = lo; q < hi; q++) dx[dst + q * sw] += col[src + q];
                    }
                }
            }
        }
    }

    /** First output column q with q*s >= need (need may be negative). */
    private static int validStart(int need, int s) { return need <= 0 ? 0 : (need + s - 1) / s; }

    /** One past the last output column q < ow with q*s <= limit. */
    private static int validEnd(int limit, int s, int ow) { return limit < 0 ? 0 : Math.min(ow, limit / s + 1); }
}
