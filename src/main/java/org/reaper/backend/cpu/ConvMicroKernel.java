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
     * Backward-filter tiles on the column-shifted copy of an image ({@link CpuConvDirect.Layout} with shifts), where
     * tap t's input at output pixel q is img[taps[t] + q]: for r below the tile's tap rows,
     * C[r][0..width) += sum over q < np of img[taps[to + r] + q0 + q] * dyT[bo + q*ldb + 0..width), i.e. taps of the
     * image against output channels of the transposed output gradient, accumulated into C (zero it for a fresh sum).
     * The image index is linear in q, so the JIT checks its bounds once per call; with a table of pixel offsets it
     * checked every load and the tiles ran at two thirds of the speed. This one: {@link #TAPS_16} taps x 16 channels.
     */
    abstract void filterTile16(int np, float[] img, int[] taps, int to, int q0, float[] dyT, int bo, int ldb,
                               float[] c, int co, int ldc);

    /** As {@link #filterTile16}, {@link #TAPS_32} taps x 32 channels. */
    abstract void filterTile32(int np, float[] img, int[] taps, int to, int q0, float[] dyT, int bo, int ldb,
                               float[] c, int co, int ldc);

    /** As {@link #filterTile16}, {@link #TAPS_64} taps x 64 channels (4 dy vectors and 6 broadcasts per 24 FMAs). */
    abstract void filterTile64(int np, float[] img, int[] taps, int to, int q0, float[] dyT, int bo, int ldb,
                               float[] c, int co, int ldc);

    /** Tap rows of the backward-filter tiles 16, 32 and 64 channels wide (every tile holds 8 to 24 accumulators). */
    static final int TAPS_16 = 8, TAPS_32 = 12, TAPS_64 = 6;

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
