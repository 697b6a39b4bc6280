package org.reaper.rng;

/**
 * Philox-4x32-10 (Salmon et al., SC'11), a counter-based generator: the same (key, counter) gives
 * the same four 32-bit words on every device, so the CPU and CUDA backends draw identical streams.
 *
 * <p>Stream layout used everywhere in Reaper: for a draw with (seed, offset), element i is taken
 * from word {@code i % 4} of block {@code offset + i / 4}; the block number is the 64-bit counter
 * (low 32 bits in c0, high in c1, c2 = c3 = 0) and the seed is the key (low, high). Normals use a
 * Box–Muller pair per two elements from block {@code offset + i / 2}: words 0,1 for even/odd pairs.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private static final float INV_2_24 = 1.0f / (1 << 24);

    private Philox() {}

    /** The four output words of one block. */
    public static void block(long seed, long counter, int[] out) {
        block4((int) counter, (int) (counter >>> 32), 0, 0, (int) seed, (int) (seed >>> 32), out);
    }

    /** Philox-4x32-10 on a full 128-bit counter (c0..c3) and 64-bit key (k0, k1); Random123's layout. */
    public static void block4(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int r = 0; r < 10; r++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0;
            int n1 = lo1;
            int n2 = hi0 ^ c3 ^ k1;
            int n3 = lo0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
            k0 += W0; k1 += W1;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

    /** Maps a 32-bit word to [0, 1) with 24 bits: exactly representable, identical on every device. */
    public static float toUniform(int word) { return (word >>> 8) * INV_2_24; }

    /** Element i of the uniform [0,1) stream (seed, offset). Slow path; kernels generate whole blocks. */
    public static float uniform(long seed, long offset, long i) {
        int[] w = new int[4];
        block(seed, offset + i / 4, w);
        return toUniform(w[(int) (i & 3)]);
    }

    /** Element i of the standard-normal stream (seed, offset) by Box–Muller, in float arithmetic. */
    public static float normal(long seed, long offset, long i) {
        int[] w = new int[4];
        block(seed, offset + i / 2, w);
        return boxMuller(w[0], w[1], (i & 1) == 1);
    }

    /** One of the pair of normals from two words; u1 lies in (0, 1] so the log is finite. */
    public static float boxMuller(int w0, int w1, boolean second) {
        float u1 = ((w0 >>> 8) + 1) * INV_2_24;
        float u2 = toUniform(w1);
        float r = (float) Math.sqrt(-2.0f * (float) Math.log(u1));
        double theta = 2.0 * Math.PI * u2;
        return second ? r * (float) Math.sin(theta) : r * (float) Math.cos(theta);
    }

    /** Blocks consumed by a uniform draw of n elements (advance the offset by this much). */
    public static long blocksForUniform(long n) { return (n + 3) / 4; }

    /** Blocks consumed by a normal draw of n elements. */
    public static long blocksForNormal(long n) { return (n + 1) / 2; }
}
