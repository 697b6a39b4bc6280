package org.reaper.backend.cpu;

/**
 * Stride-1 convolution as an implicit GEMM without im2col: out[o][pixels] = sum over taps
 * k = (c, i, j) of wt[o][k] * xpad[c][oh + i][ow + j]. Each image is zero-padded once into scratch;
 * a 32-pixel output tile (32 pixels of one row, or two rows of 16) then reads its "B" operand as
 * two 16-float vectors straight from the padded image at a per-tap offset. Weights are packed once
 * per call into mr-row panels per KC slice. Used for the forward pass and, with flipped transposed
 * weights, for backward-data of stride-1 convolutions. Backward-filter (any stride) reads its
 * taps from the padded image the same way, against a transposed copy of dy.
 */
final class CpuConvDirect {
    static final ConvMicroKernel KERNEL = CpuGemm.KERNEL.convKernel();
    private static final int NR = ConvMicroKernel.NR, HALF = NR / 2;

    private CpuConvDirect() {}

    /** True when a vector kernel exists: every stride-1 convolution can then run here. */
    static boolean available() { return KERNEL != null; }

    /** Outputs that tile exactly into 32-pixel blocks (32k wide, or 16 wide with an even height). */
    private static boolean exactTiles(int outH, int outW) { return outW % NR == 0 || (outW == HALF && outH % 2 == 0); }

    /**
     * Everything one call needs besides the per-image arrays; shared read-only by the workers.
     * In "wide" mode (outputs that do not tile exactly) the outputs are computed on the padded
     * grid (outH x padWidth, the extra columns discarded) so that every 32-pixel tile reads
     * contiguous image memory, then compacted into the output.
     */
    record Plan(int outCh, int inCh, int kh, int kw, int inH, int inW, int padH, int padW, int outH, int outW,
                int taps, float[] packedW, int[] offs, int padHeight, int padWidth, boolean wide, int wideCols, int paddedSize) {
        int wideSize() { return wide ? outCh * wideCols : 0; }
    }

    /**
     * Packs wt[outCh][inCh*kh*kw] (row-major) into kernel panels (from {@code pool}, returned to it via
     * {@link #release}) and builds the tap offsets.
     */
    static Plan plan(CpuMemoryPool pool, float[] wt, int outCh, int inCh, int kh, int kw, int inH, int inW, int padH, int padW) {
        int mr = KERNEL.mr, taps = inCh * kh * kw, rowsPadded = (outCh + mr - 1) / mr * mr;
        int ph = inH + 2 * padH, pw = inW + 2 * padW, outH = ph - kh + 1, outW = pw - kw + 1;
        float[] packed = pool.take(rowsPadded * taps);
        int kcMax = CpuGemm.kc();
        for (int pc = 0; pc < taps; pc += kcMax) {
            int kc = Math.min(kcMax, taps - pc), blockBase = pc * rowsPadded;
            for (int ir = 0; ir < rowsPadded; ir += mr) {
                int base = blockBase + (ir / mr) * kc * mr;
                for (int r = 0; r < mr; r++) {
                    int row = ir + r;
                    for (int p = 0; p < kc; p++) packed[base + p * mr + r] = row < outCh ? wt[row * taps + pc + p] : 0f;
                }
            }
        }
        int[] offs = new int[taps];
        for (int c = 0; c < inCh; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) offs[(c * kh + i) * kw + j] = (c * ph + i) * pw + j;
        boolean wide = !exactTiles(outH, outW);
        int wideCols = (outH * pw + NR - 1) / NR * NR;
        // wide tiles past the last valid pixel read beyond the image: give them slack (its contents only reach discarded columns)
        int paddedSize = wide ? Math.max(inCh * ph * pw, wideCols + offs[taps - 1]) : inCh * ph * pw;
        return new Plan(outCh, inCh, kh, kw, inH, inW, padH, padW, outH, outW, taps, packed, offs, ph, pw, wide, wideCols, paddedSize);
    }

    static void release(CpuMemoryPool pool, Plan plan) { pool.give(plan.packedW()); }

    /**
     * out[yo ..] (outCh x outH x outW) = beta * out + conv(x image at xo), beta 0 or 1. Worker scratch:
     * {@code padded} of {@link Plan#paddedSize()}, {@code tile} of mr * 32 and {@code wideOut} of
     * {@link Plan#wideSize()} floats.
     */
    static void image(Plan pl, float[] x, int xo, float[] padded, float[] tile, float[] wideOut, float[] out, int yo, float beta) {
        padImage(pl, x, xo, padded);
        int p = pl.outH() * pl.outW();
        if (!pl.wide()) {
            sweep(pl, padded, tile, p / NR, out, yo, p, beta);
            return;
        }
        sweep(pl, padded, tile, pl.wideCols() / NR, wideOut, 0, pl.wideCols(), 0f);
        int pw = pl.padWidth(), ow = pl.outW();
        for (int o = 0; o < pl.outCh(); o++)
            for (int r = 0; r < pl.outH(); r++) {
                int src = o * pl.wideCols() + r * pw, dst = yo + o * p + r * ow;
                if (beta == 0f) System.arraycopy(wideOut, src, out, dst, ow);
                else for (int q = 0; q < ow; q++) out[dst + q] += wideOut[src + q];
            }
    }

    /** All register tiles of one image: tile t covers output columns [32t, 32t + 32) of a row-major block with row stride ldc. */
    private static void sweep(Plan pl, float[] padded, float[] tile, int tiles, float[] out, int yo, int ldc, float beta) {
        int mr = KERNEL.mr, rowsPadded = (pl.outCh() + mr - 1) / mr * mr, kcMax = CpuGemm.kc(), pw = pl.padWidth();
        for (int pc = 0; pc < pl.taps(); pc += kcMax) {
            int kc = Math.min(kcMax, pl.taps() - pc), blockBase = pc * rowsPadded;
            float blockBeta = pc == 0 ? beta : 1f;
            for (int t = 0; t < tiles; t++) {
                int first = t * NR, b0, b1;
                if (pl.wide()) { b0 = first; b1 = first + HALF; }
                else {
                    int oh = first / pl.outW(), ow = first % pl.outW();
                    b0 = oh * pw + ow;
                    b1 = pl.outW() == HALF ? b0 + pw : b0 + HALF;
                }
                for (int ir = 0; ir < pl.outCh(); ir += mr) {
                    int rows = Math.min(mr, pl.outCh() - ir), ao = blockBase + (ir / mr) * kc * mr, co = yo + ir * ldc + first;
                    if (rows == mr) KERNEL.full(kc, pl.packedW(), ao, padded, b0, b1, pl.offs(), pc, out, co, ldc, blockBeta);
                    else KERNEL.partial(kc, pl.packedW(), ao, padded, b0, b1, pl.offs(), pc, out, co, ldc, blockBeta, rows, tile);
                }
            }
        }
    }

    private static void padImage(Plan pl, float[] x, int xo, float[] padded) {
        padImage(x, xo, pl.inCh(), pl.inH(), pl.inW(), pl.padH(), pl.padW(), pl.padHeight(), pl.padWidth(), padded);
    }

    /** Sizes and offset tables of a backward-filter call (any stride); taps padded to the tile height, channels to 16 or 32k. */
    record FilterPlan(int outCh, int outChPadded, int taps, int tapsPadded, int[] tapOffs, int[] pixOffs,
                      int inCh, int inH, int inW, int padH, int padW, int padHeight, int padWidth) {
        int paddedSize() { return inCh * padHeight * padWidth; }
        int pixels() { return pixOffs.length; }
        int partialSize() { return tapsPadded * outChPadded; }
    }

    static FilterPlan filterPlan(org.reaper.backend.ConvGeometry g) {
        boolean narrow = g.outChannels() <= NR / 2; // up to 16 channels: tiles one vector wide
        int mr = ConvMicroKernel.FILTER_ROWS, kh = g.kernelH(), kw = g.kernelW(), taps = g.patchSize();
        int ph = g.inH() + 2 * g.padH(), pw = g.inW() + 2 * g.padW();
        int[] tapOffs = new int[(taps + mr - 1) / mr * mr]; // padding taps read offset 0 and land in unused rows
        for (int c = 0; c < g.inChannels(); c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) tapOffs[(c * kh + i) * kw + j] = (c * ph + i) * pw + j;
        int[] pixOffs = new int[g.outH() * g.outW()];
        for (int oh = 0; oh < g.outH(); oh++)
            for (int ow = 0; ow < g.outW(); ow++) pixOffs[oh * g.outW() + ow] = oh * g.strideH() * pw + ow * g.strideW();
        return new FilterPlan(g.outChannels(), narrow ? NR / 2 : (g.outChannels() + NR - 1) / NR * NR, taps, tapOffs.length, tapOffs, pixOffs,
                g.inChannels(), g.inH(), g.inW(), g.padH(), g.padW(), ph, pw);
    }

    private static final int PIXEL_BLOCK = 256;

    /**
     * part[tap][o] (tapsPadded x outChPadded) = (first ? 0 : part) + sum over pixels of x-tap * dy[o].
     * {@code padded} and {@code dyT} (pixels x outChPadded) are worker scratch.
     */
    static void filterImage(FilterPlan fp, float[] x, int xo, float[] dy, int dyo, float[] padded, float[] dyT,
                            float[] part, boolean first) {
        padImage(x, xo, fp.inCh(), fp.inH(), fp.inW(), fp.padH(), fp.padW(), fp.padHeight(), fp.padWidth(), padded);
        int p = fp.pixels(), ldb = fp.outChPadded(), cout = fp.outCh();
        transpose(dy, dyo, cout, p, dyT, ldb);
        boolean narrow = ldb == NR / 2;
        int mr = ConvMicroKernel.FILTER_ROWS;
        for (int pb = 0; pb < p; pb += PIXEL_BLOCK) {
            int np = Math.min(PIXEL_BLOCK, p - pb);
            float beta = first && pb == 0 ? 0f : 1f;
            for (int tr = 0; tr < fp.tapsPadded(); tr += mr) {
                if (narrow) {
                    KERNEL.filterTile16(np, padded, fp.tapOffs(), tr, fp.pixOffs(), pb, dyT, pb * ldb, ldb, part, tr * ldb, ldb, beta);
                    continue;
                }
                for (int jc = 0; jc < ldb; jc += NR)
                    KERNEL.filterTile(np, padded, fp.tapOffs(), tr, fp.pixOffs(), pb, dyT, pb * ldb + jc, ldb,
                            part, tr * ldb + jc, ldb, beta);
            }
        }
    }

    /** t[q][o] = a[o][q] for o < rows, q < cols (row stride ldt, columns from rows on zeroed); 8 x 8 blocks keep both sides in cache. */
    private static void transpose(float[] a, int ao, int rows, int cols, float[] t, int ldt) {
        final int b = 8;
        for (int q0 = 0; q0 < cols; q0 += b) {
            int q1 = Math.min(cols, q0 + b);
            for (int o0 = 0; o0 < rows; o0 += b) {
                int o1 = Math.min(rows, o0 + b);
                for (int q = q0; q < q1; q++) {
                    int dst = q * ldt, src = ao + q;
                    for (int o = o0; o < o1; o++) t[dst + o] = a[src + o * cols];
                }
            }
            if (rows < ldt) for (int q = q0; q < q1; q++) java.util.Arrays.fill(t, q * ldt + rows, (q + 1) * ldt, 0f);
        }
    }

    private static void padImage(float[] x, int xo, int inCh, int h, int w, int top, int left, int ph, int pw, float[] padded) {
        for (int c = 0; c < inCh; c++) {
            int plane = c * ph * pw;
            java.util.Arrays.fill(padded, plane, plane + top * pw, 0f);
            for (int r = 0; r < h; r++) {
                int dst = plane + (r + top) * pw;
                if (left > 0) java.util.Arrays.fill(padded, dst, dst + left, 0f);
                System.arraycopy(x, xo + (c * h + r) * w, padded, dst + left, w);
                if (pw > left + w) java.util.Arrays.fill(padded, dst + left + w, dst + pw, 0f);
            }
            java.util.Arrays.fill(padded, plane + (top + h) * pw, plane + ph * pw, 0f);
        }
    }
}
