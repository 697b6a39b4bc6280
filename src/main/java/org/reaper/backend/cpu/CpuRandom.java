package org.reaper.backend.cpu;

import static org.reaper.backend.cpu.CpuElementwise.data;

import org.reaper.backend.KernelChecks;
import org.reaper.rng.Philox;
import org.reaper.tensor.Tensor;

/**
 * Random fills and dropout on the Philox stream layout of {@link Philox}: element i of a uniform draw
 * is word i % 4 of block offset + i / 4; a normal pair (i even, i + 1) comes from words 0, 1 of block
 * offset + i / 2. Blocks are generated {@link PhiloxLanes#LANES} at a time and the loop is parallel over
 * such groups, so every element depends only on (seed, offset, i), never on the thread count.
 * A uniform [lo, hi) element is {@code lo + (hi - lo) * u} in float arithmetic.
 */
final class CpuRandom {
    private static final int GROUP_GRAIN = Math.max(1, (1 << 11) / PhiloxLanes.LANES);
    private static final float INV_2_24 = 1.0f / (1 << 24);

    private CpuRandom() {}

    /** Per group of blocks: the words of blocks [first, first + count), as in {@link PhiloxLanes#blocks}. */
    @FunctionalInterface private interface GroupBody { void run(long[] words, long firstBlock, int count); }

    private static void forGroups(CpuParallel par, long blocks, long seed, long offset, GroupBody body) {
        int lanes = PhiloxLanes.LANES, groups = (int) ((blocks + lanes - 1) / lanes);
        par.forRange(groups, GROUP_GRAIN, (g0, g1) -> {
            long[] words = new long[4 * lanes];
            for (int g = g0; g < g1; g++) {
                long first = (long) g * lanes;
                PhiloxLanes.blocks(seed, offset + first, words);
                body.run(words, first, (int) Math.min(lanes, blocks - first));
            }
        });
    }

    static void fillUniform(CpuParallel par, Tensor t, float lo, float hi, long seed, long offset) {
        float[] a = data("fillUniform", "t", t);
        int n = t.numel(), lanes = PhiloxLanes.LANES;
        float range = hi - lo;
        forGroups(par, Philox.blocksForUniform(n), seed, offset, (w, first, count) -> {
            for (int j = 0; j < count; j++) {
                int base = (int) (4 * (first + j)), m = Math.min(4, n - base);
                for (int k = 0; k < m; k++) a[base + k] = lo + range * Philox.toUniform((int) w[k * lanes + j]);
            }
        });
    }

    static void fillNormal(CpuParallel par, Tensor t, float mean, float std, long seed, long offset) {
        float[] a = data("fillNormal", "t", t);
        int n = t.numel(), lanes = PhiloxLanes.LANES;
        forGroups(par, Philox.blocksForNormal(n), seed, offset, (w, first, count) -> {
            for (int j = 0; j < count; j++) {
                int i = (int) (2 * (first + j)), w0 = (int) w[j], w1 = (int) w[lanes + j];
                // the arithmetic of Philox.boxMuller, with the radius computed once for the pair
                float u1 = ((w0 >>> 8) + 1) * INV_2_24;
                float u2 = (w1 >>> 8) * INV_2_24;
                float r = (float) Math.sqrt(-2.0f * (float) Math.log(u1));
                double theta = 2.0 * Math.PI * u2;
                a[i] = mean + std * (r * (float) Math.cos(theta));
                if (i + 1 < n) a[i + 1] = mean + std * (r * (float) Math.sin(theta));
            }
        });
    }

    static void dropout(CpuParallel par, Tensor x, float p, long seed, long offset, Tensor mask, Tensor y) {
        KernelChecks.dropout(x, p, mask, y);
        float[] xa = CpuStorage.data(x), ma = CpuStorage.data(mask), ya = CpuStorage.data(y);
        int n = x.numel(), lanes = PhiloxLanes.LANES;
        int keepBits = Float.floatToRawIntBits(1f / (1f - p));
        // toUniform(w) >= p  <=>  (w >>> 8) >= threshold: u = (w >>> 8) / 2^24 is exact, so compare integers
        long threshold = (long) Math.ceil(p * 16777216.0);
        forGroups(par, Philox.blocksForUniform(n), seed, offset, (w, first, count) -> {
            for (int j = 0; j < count; j++) {
                int base = (int) (4 * (first + j)), m = Math.min(4, n - base);
                for (int k = 0; k < m; k++) {
                    long keep = ((threshold - 1 - (w[k * lanes + j] >>> 8)) >>> 63); // 1 to keep, 0 to drop: no branch
                    float mk = Float.intBitsToFloat(keepBits & -(int) keep);
                    ma[base + k] = mk;
                    ya[base + k] = xa[base + k] * mk;
                }
            }
        });
    }
}
