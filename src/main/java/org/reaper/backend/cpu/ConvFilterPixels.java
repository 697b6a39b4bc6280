package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;

/**
 * Backward-filter of stride-1 convolutions whose output rows are a multiple of 16 wide, with the
 * pixels in the vector lanes: dW[o][tap] = sum over pixels of dy[o][pixel] * xpad[tap + pixel].
 * Both operands are contiguous vectors (no transposed dy, no broadcasts): 4 channels x 6 taps per
 * register tile, 16 lane-wise partial sums per weight, folded once per group of images. The batch
 * is cut into a fixed number of groups whatever the thread count, and the groups are summed in
 * order, so the result does not depend on the threads.
 */
final class ConvFilterPixels {
    private static final int CH_TILE = ConvMicroKernel.PIXEL_CHANNELS, TAP_TILE = ConvMicroKernel.PIXEL_TAPS, LANES = 16, MAX_GROUPS = 16;

    private ConvFilterPixels() {}

    /** Below this many output pixels per image the per-tile overhead loses to {@link CpuConvDirect#filterImage}. */
    private static final int MIN_PIXELS = 1024;

    /** Largest per-worker lane accumulator (floats) worth holding; wider layers use {@link CpuConvDirect#filterImage}. */
    private static final long MAX_ACC = 1L << 22;

    static boolean applies(ConvGeometry g) {
        return CpuConvDirect.available() && g.strideH() == 1 && g.strideW() == 1 && g.outW() % LANES == 0
                && g.outChannels() % CH_TILE == 0 && g.outH() * g.outW() >= MIN_PIXELS
                && (long) g.outChannels() * (g.patchSize() + TAP_TILE) * LANES <= MAX_ACC;
    }

    static void run(CpuParallel par, CpuMemoryPool pool, float[] xs, float[] dys, float[] dws, ConvGeometry g) {
        int cin = g.inChannels(), kh = g.kernelH(), kw = g.kernelW(), cout = g.outChannels(), batch = g.batch();
        int ph = g.inH() + 2 * g.padH(), pw = g.inW() + 2 * g.padW(), outH = g.outH(), outW = g.outW(), p = outH * outW;
        int taps = g.patchSize(), tapsPadded = (taps + TAP_TILE - 1) / TAP_TILE * TAP_TILE; // padding taps read offset 0, land in unused rows
        CpuConvDirect.Layout in = new CpuConvDirect.Layout(cin, g.inH(), g.inW(), g.padH(), g.padW(), 1, 1, ph, pw);
        int[] offs = in.tapOffsets(kh, kw, tapsPadded);
        int[] chunks = new int[p / LANES];
        for (int q = 0; q < chunks.length; q++) chunks[q] = (q * LANES / outW) * pw + q * LANES % outW;
        int inSize = cin * g.inH() * g.inW(), outSize = cout * p, accStride = tapsPadded * LANES;
        int groups = Math.min(batch, MAX_GROUPS);
        float[][] parts = new float[groups][];
        par.forRange(groups, 1, (s, e) -> {
            float[] padded = pool.take(in.size()), acc = pool.take(cout * accStride);
            java.util.Arrays.fill(padded, 0f);
            try {
                for (int gi = s; gi < e; gi++) {
                    int n0 = (int) ((long) gi * batch / groups), n1 = (int) ((long) (gi + 1) * batch / groups);
                    java.util.Arrays.fill(acc, 0f);
                    for (int n = n0; n < n1; n++) {
                        CpuConvDirect.prepare(in, xs, n * inSize, padded);
                        for (int o = 0; o < cout; o += CH_TILE)
                            for (int t = 0; t < tapsPadded; t += TAP_TILE)
                                CpuConvDirect.KERNEL.filterPixels(padded, offs, t, chunks, chunks.length, dys, n * outSize + o * p, p,
                                        acc, o * accStride + t * LANES, accStride);
                    }
                    float[] part = pool.take(cout * taps);
                    for (int o = 0; o < cout; o++)
                        for (int t = 0; t < taps; t++) {
                            int a = o * accStride + t * LANES;
                            float sum = 0f;
                            for (int l = 0; l < LANES; l++) sum += acc[a + l];
                            part[o * taps + t] = sum;
                        }
                    parts[gi] = part;
                }
            } finally {
                pool.give(padded);
                pool.give(acc);
            }
        });
        par.forRange(cout, 1, (s, e) -> {
            for (int q = s * taps; q < e * taps; q++) {
                float sum = 0f;
                for (int gi = 0; gi < groups; gi++) sum += parts[gi][q];
                dws[q] = sum;
            }
        });
        for (float[] part : parts) pool.give(part);
    }
}
