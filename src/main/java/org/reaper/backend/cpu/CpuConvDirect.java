package org.reaper.backend.cpu;

/**
 * Convolution as an implicit GEMM without im2col: out[o][pixels] = sum over taps k of
 * wt[o][k] * in[base(pixel) + offs[k]]. Each image is copied once into scratch: zero-padded, and
 * for stride s split into s*s phase planes per channel (plane (a, b) holds padded pixels
 * (s*r + a, s*q + b)), so that every stride becomes a stride-1 read and a tap is a fixed offset.
 * A 32-pixel output tile (32 pixels of one row, or two rows of 16) then reads its "B" operand as
 * two 16-float vectors straight from that copy at a per-tap offset. Weights are packed once per
 * call into mr-row panels per KC slice. Used for the forward pass, for backward-data (stride 1:
 * flipped transposed weights; stride s: one such convolution per output phase, see
 * {@link ConvPhaseBackwardData}). Backward-filter (any stride) reads its taps from a column-shifted
 * copy of the image, where every tap's input is linear in the output pixel, against a transposed copy of dy.
 */
final class CpuConvDirect {
    static final ConvMicroKernel KERNEL = CpuGemm.KERNEL.convKernel();
    private static final int NR = ConvMicroKernel.NR, HALF = NR / 2;

    private CpuConvDirect() {}

    /** Each thread's mr x 32 tile for row blocks shorter than mr (one per thread, not one per piece of work). */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[KERNEL.mr * NR]);

    /** This thread's tile scratch for {@link #image} and {@link #compute}. */
    static float[] tile() { return TILE.get(); }

    /** True when a vector kernel exists: every convolution can then run here. */
    static boolean available() { return KERNEL != null; }

    /** Outputs that tile exactly into 32-pixel blocks (32k wide, or 16 wide with an even height). */
    private static boolean exactTiles(int outH, int outW) { return outW % NR == 0 || (outW == HALF && outH % 2 == 0); }

    /**
     * How an input image is laid out in scratch: ch channels of h x w, padded by top/left (zeros
     * around), split into sh x sw phase planes of qh x qw each. With shifts = kw > 0 the columns are
     * instead unrolled: plane (c, a, j) holds padded pixels (sh*r + a, sw*q + j) for q < qw = outW,
     * so narrow outputs (8 wide) tile exactly with no wasted columns. Only the first rowPhases row phases are
     * copied (a kernel shorter than its stride never reads the others; they stay zero).
     */
    record Layout(int ch, int h, int w, int top, int left, int sh, int sw, int qh, int qw, int shifts, int rowPhases) {
        Layout(int ch, int h, int w, int top, int left, int sh, int sw, int qh, int qw, int shifts) { this(ch, h, w, top, left, sh, sw, qh, qw, shifts, sh); }
        Layout(int ch, int h, int w, int top, int left, int sh, int sw, int qh, int qw) { this(ch, h, w, top, left, sh, sw, qh, qw, 0); }
        int size() { return ch * sh * (shifts > 0 ? shifts : sw) * qh * qw; }

        /**
         * Where tap (input channel c, kernel row i, kernel column j) reads for output pixel (0, 0), in a table of
         * {@code length} entries (from ch*kh*kw on: 0, padding taps); output pixel (r, q) adds r * qw + q.
         */
        int[] tapOffsets(int kh, int kw, int length) {
            int[] offs = new int[length];
            for (int c = 0; c < ch; c++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++) {
                        int plane = c * sh + i % sh, row = i / sh;
                        offs[(c * kh + i) * kw + j] = shifts > 0 ? ((plane * shifts + j) * qh + row) * qw
                                : ((plane * sw + j % sw) * qh + row) * qw + j / sw;
                    }
            return offs;
        }
    }

    /**
     * Everything one call needs besides the per-image arrays; shared read-only by the workers.
     * Output pixel (r, q) reads from base r * in.qw + q. In "wide" mode (outputs that do not tile
     * exactly) the outputs are computed on the grid outH x in.qw (the extra columns discarded)
     * so that every 32-pixel tile reads contiguous memory, then compacted into the output.
     */
    record Plan(int outCh, int taps, float[] packedW, int[] offs, int outH, int outW, Layout in,
                boolean wide, int wideCols, int paddedSize) {
        int wideSize() { return wide ? outCh * wideCols : 0; }
        int gridW() { return in.qw(); }
    }

    /** Stride-1 plan (kept for callers that think in stride-1 terms). */
    static Plan plan(CpuMemoryPool pool, float[] wt, int outCh, int inCh, int kh, int kw, int inH, int inW, int padH, int padW) {
        return plan(pool, wt, outCh, inCh, kh, kw, inH, inW, padH, padW, 1, 1);
    }

    /** Plan of a (kh x kw, stride sh x sw, symmetric pad) convolution with weights wt[outCh][inCh*kh*kw]. */
    static Plan plan(CpuMemoryPool pool, float[] wt, int outCh, int inCh, int kh, int kw, int inH, int inW, int padH, int padW,
                     int sh, int sw) {
        int ph = inH + 2 * padH, pw = inW + 2 * padW;
        int qh = (ph + sh - 1) / sh, qw = (pw + sw - 1) / sw;
        int outH = (ph - kh) / sh + 1, outW = (pw - kw) / sw + 1;
        Layout in = sw == 1 && outW < HALF && HALF % outW == 0 && outH * outW % NR == 0
                ? new Layout(inCh, inH, inW, padH, padW, sh, sw, qh, outW, kw) // narrow: unrolled columns
                : new Layout(inCh, inH, inW, padH, padW, sh, sw, qh, qw);
        return plan(pool, wt, outCh, in.tapOffsets(kh, kw, inCh * kh * kw), outH, outW, in);
    }

    /**
     * General plan: weights wt[outCh][offs.length] (row-major), tap offsets into the scratch copy
     * described by {@code in}, output outH x outW. Packs the weights into panels (from {@code pool},
     * returned to it via {@link #release}).
     */
    static Plan plan(CpuMemoryPool pool, float[] wt, int outCh, int[] offs, int outH, int outW, Layout in) {
        int mr = KERNEL.mr, taps = offs.length, rowsPadded = (outCh + mr - 1) / mr * mr;
        float[] packed = pool.take(Math.max(1, rowsPadded * taps));
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
        boolean wide = !exactTiles(outH, outW) && !(in.qw() == outW && outH * outW % NR == 0);
        int wideCols = (outH * in.qw() + NR - 1) / NR * NR;
        int maxOff = 0;
        for (int o : offs) maxOff = Math.max(maxOff, o);
        // wide tiles past the last valid pixel read beyond the image: give them slack (its contents only reach discarded columns)
        int paddedSize = wide ? Math.max(in.size(), wideCols + maxOff) : in.size();
        return new Plan(outCh, taps, packed, offs, outH, outW, in, wide, wideCols, paddedSize);
    }

    static void release(CpuMemoryPool pool, Plan plan) { pool.give(plan.packedW()); }

    /**
     * out[yo ..] (outCh x outH x outW) = beta * out + conv(x image at xo), beta 0 or 1. Worker scratch:
     * {@code padded} of {@link Plan#paddedSize()} (zeroed once, see {@link #prepare}), {@code tile} of mr * 32 and {@code wideOut} of
     * {@link Plan#wideSize()} floats.
     */
    static void image(Plan pl, float[] x, int xo, float[] padded, float[] tile, float[] wideOut, float[] out, int yo, float beta) {
        prepare(pl.in(), x, xo, padded);
        compute(pl, padded, tile, wideOut, out, yo, beta);
    }

    /** As {@link #image} on an input already copied by {@link #prepare}. */
    static void compute(Plan pl, float[] padded, float[] tile, float[] wideOut, float[] out, int yo, float beta) {
        int p = pl.outH() * pl.outW();
        if (!pl.wide()) {
            sweep(pl, padded, tile, p / NR, out, yo, p, beta);
            return;
        }
        sweep(pl, padded, tile, pl.wideCols() / NR, wideOut, 0, pl.wideCols(), 0f);
        int pw = pl.gridW(), ow = pl.outW();
        for (int o = 0; o < pl.outCh(); o++)
            for (int r = 0; r < pl.outH(); r++) {
                int src = o * pl.wideCols() + r * pw, dst = yo + o * p + r * ow;
                if (beta == 0f) System.arraycopy(wideOut, src, out, dst, ow);
                else for (int q = 0; q < ow; q++) out[dst + q] += wideOut[src + q];
            }
    }

    /** All register tiles of one image: tile t covers output columns [32t, 32t + 32) of a row-major block with row stride ldc. */
    private static void sweep(Plan pl, float[] padded, float[] tile, int tiles, float[] out, int yo, int ldc, float beta) {
        int mr = KERNEL.mr, rowsPadded = (pl.outCh() + mr - 1) / mr * mr, kcMax = CpuGemm.kc(), pw = pl.gridW();
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

    /**
     * Copies image x[xo ..] into the interior of {@code padded} in the given layout (phase planes for
     * strides above 1). The zero borders are never written: a worker zeroes its scratch once when it
     * takes it and then uses it for one layout only.
     */
    static void prepare(Layout in, float[] x, int xo, float[] padded) {
        int h = in.h(), w = in.w(), sh = in.sh(), sw = in.sw(), qh = in.qh(), qw = in.qw(), left = in.left();
        if (in.shifts() > 0 && sh == 1 && sw == 1 && qw == w && left < w && in.shifts() - 1 - left < w) { // every shift within a row
            shiftedRowsFlat(in, x, xo, padded);
            return;
        }
        if (in.shifts() > 0) {
            shiftedColumns(in, x, xo, padded);
            return;
        }
        if (sh == 1 && sw == 1) {
            for (int c = 0; c < in.ch(); c++)
                for (int r = 0; r < h; r++)
                    System.arraycopy(x, xo + (c * h + r) * w, padded, (c * qh + r + in.top()) * qw + left, w);
            return;
        }
        int planeStride = qh * qw;
        for (int c = 0; c < in.ch(); c++)
            for (int ih = 0; ih < h; ih++) {
                int y = ih + in.top(), a = y % sh, row = ((c * sh + a) * sw * qh + y / sh) * qw, src = xo + (c * h + ih) * w;
                if (sw == 2) { deinterleave(x, src, w, left, padded, row, padded, row + planeStride); continue; }
                for (int ix = 0; ix < w; ix++) {
                    int xx = ix + left;
                    padded[row + (xx % sw) * planeStride + xx / sw] = x[src + ix];
                }
            }
    }

    /**
     * The column-shifted layout in general (any stride): plane (c, a, j) row r, column q holds source pixel
     * (sh*r + a - top, sw*q + j - left) when inside the image. The column range of each shift and the plane row of
     * each source row are worked out once per call: divisions by the stride in the per-row loop cost more than the
     * copy. Stride 2 deinterleaves each source row once and copies each shift out of it.
     */
    private static void shiftedColumns(Layout in, float[] x, int xo, float[] padded) {
        int h = in.h(), w = in.w(), sh = in.sh(), sw = in.sw(), qh = in.qh(), qw = in.qw(), left = in.left(), kw = in.shifts();
        int[] rowOf = new int[h];
        for (int ih = 0; ih < h; ih++) {
            int y = ih + in.top();
            rowOf[ih] = y % sh < in.rowPhases() ? (y % sh) * kw * qh + y / sh : -1; // plane (c=0, a, j=0) row, in rows of qw
        }
        if (sw == 2) {
            int half = (left + w + 1) / 2 + (kw + 1) / 2 + qw;
            float[] even = new float[half], odd = new float[half];
            for (int c = 0; c < in.ch(); c++)
                for (int ih = 0; ih < h; ih++) {
                    if (rowOf[ih] < 0) continue;
                    int rowBase = (c * sh * kw * qh + rowOf[ih]) * qw;
                    deinterleave(x, xo + (c * h + ih) * w, w, left, even, 0, odd, 0);
                    for (int j = 0; j < kw; j++) // column q reads padded column 2q + j
                        System.arraycopy((j & 1) == 0 ? even : odd, j / 2, padded, rowBase + j * qh * qw, qw);
                }
            return;
        }
        int[] lo = new int[kw], hi = new int[kw];
        for (int j = 0; j < kw; j++) { // column q reads source column q*sw + j - left when inside the image
            lo[j] = Math.max(0, (left - j + sw - 1) / sw);
            hi[j] = Math.min(qw, w - 1 + left - j < 0 ? 0 : (w - 1 + left - j) / sw + 1);
        }
        for (int c = 0; c < in.ch(); c++)
            for (int ih = 0; ih < h; ih++) {
                if (rowOf[ih] < 0) continue;
                int src = xo + (c * h + ih) * w, rowBase = (c * sh * kw * qh + rowOf[ih]) * qw;
                for (int j = 0; j < kw; j++) {
                    int dst = rowBase + j * qh * qw, from = src + lo[j] * sw + j - left;
                    if (sw == 1) { if (hi[j] > lo[j]) System.arraycopy(x, from, padded, dst + lo[j], hi[j] - lo[j]); }
                    else for (int q = lo[j], f = from; q < hi[j]; q++, f += sw) padded[dst + q] = x[f];
                }
            }
    }

    /**
     * The column-shifted layout when rows keep their width (stride 1, "same" padding: qw == w): plane (c, j) is
     * the channel's whole h x w block moved by left - j columns, so one copy per plane does it. The cells that
     * copy carries across a row edge (the first or last |left - j| columns of each row, and a cell spilled into
     * the padding rows above or below) are zeroed again afterwards. A few long copies instead of one
     * eight-float copy per row and shift: the 8x8 layers' copy was a third of their convolution's time.
     */
    private static void shiftedRowsFlat(Layout in, float[] x, int xo, float[] padded) {
        int h = in.h(), w = in.w(), kw = in.shifts(), qh = in.qh(), left = in.left(), top = in.top();
        for (int c = 0; c < in.ch(); c++)
            for (int j = 0; j < kw; j++) {
                int plane = (c * kw + j) * qh * w, shift = left - j;
                int dst = plane + top * w + shift, src = xo + c * h * w, n = h * w;
                // the part of the block that lands inside this plane
                int from = Math.max(0, plane - dst), to = Math.min(n, plane + qh * w - dst);
                if (to > from) System.arraycopy(x, src + from, padded, dst + from, to - from);
                // re-zero the columns whose source column q - shift lies outside [0, w), rows top - 1 .. top + h
                int lo = Math.max(0, top - 1), hi = Math.min(qh, top + h + 1);
                for (int y = lo; y < hi; y++) { // |shift| < w (the caller checks): at most one edge per row
                    int row = plane + y * w;
                    if (shift > 0) java.util.Arrays.fill(padded, row, row + shift, 0f);
                    else if (shift < 0) java.util.Arrays.fill(padded, row + w + shift, row + w, 0f);
                }
            }
    }

    /** Padded columns X = ix + left of one source row x[src .. src + w): even X to even[e0 + X/2], odd X to odd[o0 + X/2]. */
    private static void deinterleave(float[] x, int src, int w, int left, float[] even, int e0, float[] odd, int o0) {
        // source column 2i lands at X = 2i + left, 2i + 1 at X + 1
        boolean oddLeft = (left & 1) == 1;
        float[] first = oddLeft ? odd : even, second = oddLeft ? even : odd;
        int at = (oddLeft ? o0 : e0) + left / 2, secondAt = (oddLeft ? e0 + 1 : o0) + left / 2, pairs = w / 2;
        for (int i = 0; i < pairs; i++) {
            first[at + i] = x[src + 2 * i];
            second[secondAt + i] = x[src + 2 * i + 1];
        }
        if ((w & 1) == 1) first[at + pairs] = x[src + w - 1];
    }

    /**
     * Sizes and tap offsets of a backward-filter call (any stride). The image is copied column-shifted (a
     * {@link Layout} with shifts, phase planes for strides above 1), so tap t's input at output pixel q is
     * padded[tapOffs[t] + q] for every pixel of the image. Taps are padded to the tile's tap rows (padding taps read
     * offset 0 and land in unused rows); output channels to the tile width: 16, 64k or 32k.
     */
    record FilterPlan(int outCh, int outChPadded, int tileWidth, int tileTaps, int taps, int tapsPadded, int[] tapOffs,
                      int pixels, Layout in) {
        int paddedSize() { return in.size(); }
        int partialSize() { return tapsPadded * outChPadded; }
    }

    static FilterPlan filterPlan(org.reaper.backend.ConvGeometry g) {
        int cout = g.outChannels(), kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW(), taps = g.patchSize();
        int ld = cout <= 16 ? 16 : (cout + NR - 1) / NR * NR, width = ld == 16 ? 16 : ld % 64 == 0 ? 64 : 32;
        int rows = width == 16 ? ConvMicroKernel.TAPS_16 : width == 32 ? ConvMicroKernel.TAPS_32 : ConvMicroKernel.TAPS_64;
        int ph = g.inH() + 2 * g.padH(), qh = (ph + sh - 1) / sh, outW = g.outW();
        Layout in = new Layout(g.inChannels(), g.inH(), g.inW(), g.padH(), g.padW(), sh, sw, qh, outW, kw, Math.min(sh, kh));
        int[] tapOffs = in.tapOffsets(kh, kw, (taps + rows - 1) / rows * rows);
        return new FilterPlan(cout, ld, width, rows, taps, tapOffs.length, tapOffs, g.outH() * outW, in);
    }

    private static final int PIXEL_BLOCK = 256;

    /**
     * part[tap][o] (tapsPadded x outChPadded) = (first ? 0 : part) + sum over pixels of x-tap * dy[o].
     * {@code padded} (zeroed once, see {@link #prepare}) and {@code dyT} (pixels x outChPadded) are worker scratch.
     */
    static void filterImage(FilterPlan fp, float[] x, int xo, float[] dy, int dyo, float[] padded, float[] dyT,
                            float[] part, boolean first) {
        prepare(fp.in(), x, xo, padded);
        int p = fp.pixels(), ldb = fp.outChPadded(), width = fp.tileWidth(), rows = fp.tileTaps();
        transpose(dy, dyo, fp.outCh(), p, dyT, ldb);
        if (first) java.util.Arrays.fill(part, 0, fp.partialSize(), 0f); // the tiles accumulate into part
        int[] offs = fp.tapOffs();
        for (int pb = 0; pb < p; pb += PIXEL_BLOCK) {
            int np = Math.min(PIXEL_BLOCK, p - pb);
            for (int tr = 0; tr < fp.tapsPadded(); tr += rows)
                for (int jc = 0; jc < ldb; jc += width) {
                    int bo = pb * ldb + jc, co = tr * ldb + jc;
                    if (width == 64) KERNEL.filterTile64(np, padded, offs, tr, pb, dyT, bo, ldb, part, co, ldb);
                    else if (width == 32) KERNEL.filterTile32(np, padded, offs, tr, pb, dyT, bo, ldb, part, co, ldb);
                    else KERNEL.filterTile16(np, padded, offs, tr, pb, dyT, bo, ldb, part, co, ldb);
                }
        }
    }

    /**
     * t[q][o] = a[o][q] for o < rows, q < cols (row stride ldt, columns from rows on zeroed). Eight source rows at a
     * time, each read front to back, each q writing eight neighbouring floats: every index is linear in q, so the JIT
     * checks bounds once per sweep (8 x 8 blocks with 8-long inner loops ran at ~2 ns a float).
     */
    private static void transpose(float[] a, int ao, int rows, int cols, float[] t, int ldt) {
        int o = 0;
        for (; o + 8 <= rows; o += 8) {
            int s0 = ao + o * cols, s1 = s0 + cols, s2 = s1 + cols, s3 = s2 + cols, s4 = s3 + cols, s5 = s4 + cols, s6 = s5 + cols, s7 = s6 + cols;
            for (int q = 0, d = o; q < cols; q++, d += ldt) {
                t[d] = a[s0 + q]; t[d + 1] = a[s1 + q]; t[d + 2] = a[s2 + q]; t[d + 3] = a[s3 + q];
                t[d + 4] = a[s4 + q]; t[d + 5] = a[s5 + q]; t[d + 6] = a[s6 + q]; t[d + 7] = a[s7 + q];
            }
        }
        for (; o < rows; o++)
            for (int q = 0, src = ao + o * cols, d = o; q < cols; q++, d += ldt) t[d] = a[src + q];
        if (rows < ldt) for (int q = 0; q < cols; q++) java.util.Arrays.fill(t, q * ldt + rows, (q + 1) * ldt, 0f);
    }
}
