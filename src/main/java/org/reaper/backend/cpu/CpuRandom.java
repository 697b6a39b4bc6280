package org.reaper.backend.cpu;

import static org.reaper.backend.cpu.CpuElementwise.data;
import static org.reaper.backend.cpu.CpuElementwise.requireSame;

import org.reaper.rng.Philox;
import org.reaper.tensor.Tensor;

/**
 * Random fills and dropout on the Philox stream layout of {@link Philox}: element i of a uniform draw
 * is word i % 4 of block offset + i / 4; a normal pair (i even, i + 1) comes from words 0, 1 of block
 * offset + i / 2. Whole blocks are generated per iteration and the loop is parallel over blocks, so
 * every element depends only on (seed, offset, i), never on the thread count.
 * A uniform [lo, hi) element is {@code lo + (hi - lo) * u} in float arithmetic.
 */
final class CpuRandom {
    private static final int BLOCK_GRAIN = 1 << 11;

    private CpuRandom() {}

    static void fillUniform(CpuParallel par, Tensor t, float lo, float hi, long seed, long offset) {
        float[] a = data("fillUniform", "t", t);
        int n = t.numel();
        float range = hi - lo;
        par.forRange(blocks(Philox.blocksForUniform(n)), BLOCK_GRAIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                Philox.block(seed, offset + b, w);
                int base = 4 * b, m = Math.min(4, n - base);
                for (int k = 0; k < m; k++) a[base + k] = lo + range * Philox.toUniform(w[k]);
            }
        });
    }

    static void fillNormal(CpuParallel par, Tensor t, float mean, float std, long seed, long offset) {
        float[] a = data("fillNormal", "t", t);
        int n = t.numel();
        par.forRange(blocks(Philox.blocksForNormal(n)), BLOCK_GRAIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                Philox.block(seed, offset + b, w);
                int i = 2 * b;
                a[i] = mean + std * Philox.boxMuller(w[0], w[1], false);
                if (i + 1 < n) a[i + 1] = mean + std * Philox.boxMuller(w[0], w[1], true);
            }
        });
    }

    static void dropout(CpuParallel par, Tensor x, float p, long seed, long offset, Tensor mask, Tensor y) {
        String op = "dropoutForward";
        requireSame(op, "mask", x, mask);
        requireSame(op, "y", x, y);
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException(op + ": drop probability must be in [0, 1], got " + p);
        float[] xa = CpuStorage.data(x), ma = CpuStorage.data(mask), ya = CpuStorage.data(y);
        int n = x.numel();
        float keep = 1f / (1f - p);
        par.forRange(blocks(Philox.blocksForUniform(n)), BLOCK_GRAIN, (b0, b1) -> {
            int[] w = new int[4];
            for (int b = b0; b < b1; b++) {
                Philox.block(seed, offset + b, w);
                int base = 4 * b, m = Math.min(4, n - base);
                for (int k = 0; k < m; k++) {
                    float mk = Philox.toUniform(w[k]) >= p ? keep : 0f;
                    ma[base + k] = mk;
                    ya[base + k] = xa[base + k] * mk;
                }
            }
        });
    }

    private static int blocks(long b) { return (int) b; }
}
