package org.reaper.backend.cpu;

/**
 * Register tile of the direct (implicit-GEMM) stride-1 convolution in {@link CpuConvDirect}: the
 * same MR x 32 tile as the GEMM kernel, but the "B" rows are read straight out of a zero-padded
 * image: for reduction step p the two 16-wide vectors start at img[b0 + offs[p]] and
 * img[b1 + offs[p]], where offs[p] is the (channel, tap row, tap column) offset in the padded
 * image. No im2col matrix and no B packing. Only the 16-lane Vector API kernel provides one.
 */
abstract class ConvMicroKernel {
    static final int NR = 32;
    final int mr;

    ConvMicroKernel(int mr) { this.mr = mr; }

    /** C[r][0..31] (op) = sum_p ap[ao + p*mr + r] * (img[b0 + offs[oo+p] + 0..15], img[b1 + offs[oo+p] + 0..15]). */
    abstract void full(int kc, float[] ap, int ao, float[] img, int b0, int b1, int[] offs, int oo,
                       float[] c, int co, int ldc, float beta);

    /**
     * Backward-filter tile, r < FILTER_ROWS: C[r][0..31] (op) = sum over q < np of img[taps[to+r] + pix[po+q]] * dyT[bo + q*ldb + 0..31],
     * i.e. 8 taps of the padded image against 32 output channels of the transposed output gradient,
     * accumulated into C (zero it for a fresh sum).
     */
    abstract void filterTile(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                             float[] c, int co, int ldc);

    /** Tap rows of {@link #filterTile} and {@link #filterTile16}. */
    static final int FILTER_ROWS = 8;

    /** As {@link #filterTile} for at most 16 output channels: FILTER_ROWS taps x 16 channels. */
    abstract void filterTile16(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                               float[] c, int co, int ldc);

    /**
     * As {@link #filterTile} for 64 output channels at a time: 4 taps x 64 channels (4 dy vectors and 4 broadcasts
     * per 16 FMAs, where the 8 x 32 tile needs 2 and 8).
     */
    void filterTile64(int np, float[] img, int[] taps, int to, int[] pix, int po, float[] dyT, int bo, int ldb,
                      float[] c, int co, int ldc) {
        throw new UnsupportedOperationException("no 64-channel backward-filter tile");
    }

    /** Output channels and taps of one {@link #filterPixels} tile (24 accumulators, 10 loads per 24 FMAs). */
    static final int PIXEL_CHANNELS = 4, PIXEL_TAPS = 6;

    /**
     * Backward-filter with pixels in the vector lanes (stride 1, output rows a multiple of 16 wide):
     * for i < PIXEL_CHANNELS, j < PIXEL_TAPS and lane l < 16, acc[ao + i*accStride + j*16 + l] += sum over 16-pixel
     * chunks q < n of dy[dyo + i*p + 16q + l] * img[taps[to + j] + chunks[q] + l] (chunks[q]: the chunk's
     * offset in the padded image).
     */
    void filterPixels(float[] img, int[] taps, int to, int[] chunks, int n, float[] dy, int dyo, int p,
                      float[] acc, int ao, int accStride) {
        throw new UnsupportedOperationException("no pixel-vector backward-filter kernel");
    }

    /** Fewer than mr rows: computed in {@code tile} (mr * 32 floats) and merged. */
    final void partial(int kc, float[] ap, int ao, float[] img, int b0, int b1, int[] offs, int oo,
                       float[] c, int co, int ldc, float beta, int rows, float[] tile) {
        full(kc, ap, ao, img, b0, b1, offs, oo, tile, 0, NR, 0f);
        for (int r = 0; r < rows; r++) {
            int t = r * NR, o = co + r * ldc;
            if (beta == 0f) System.arraycopy(tile, t, c, o, NR);
            else if (beta == 1f) for (int j = 0; j < NR; j++) c[o + j] += tile[t + j];
            else for (int j = 0; j < NR; j++) c[o + j] = beta * c[o + j] + tile[t + j];
        }
    }
}
